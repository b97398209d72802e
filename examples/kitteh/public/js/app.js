// Kitteh's little script: a preview of the chosen picture, a size check before sending it, and a
// busy button. The form works without it (plain POST, the server checks everything again).
const form = document.querySelector('form.upload');
if (form) {
  const input = form.querySelector('input[type=file]');
  const preview = form.querySelector('.preview');
  const problem = form.querySelector('.problem');
  const button = form.querySelector('button');
  const drop = form.querySelector('.drop');
  const maxBytes = Number(form.dataset.maxBytes);

  const say = (text) => {
    problem.textContent = text;
    problem.hidden = text === '';
  };

  const show = () => {
    const file = input.files && input.files[0];
    say('');
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.hidden = true;
    if (!file) return;
    if (file.size > maxBytes) {
      say(`That file is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB.`);
      return;
    }
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
  };

  input.addEventListener('change', show);
  for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, () => drop.classList.add('dragging'));
  for (const type of ['dragleave', 'drop']) drop.addEventListener(type, () => drop.classList.remove('dragging'));
  form.addEventListener('submit', (event) => {
    const file = input.files && input.files[0];
    if (file && file.size > maxBytes) {
      event.preventDefault();
      return;
    }
    button.disabled = true;
    button.textContent = 'Resizing…';
  });
}
