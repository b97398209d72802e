const button: HTMLButtonElement = document.createElement('button');
button.textContent = 42;
export const count: number = 'not a number';
