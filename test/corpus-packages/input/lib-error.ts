// ActiveXObject is declared only in lib.scripthost.d.ts: the compiler must find that file by its computed name.
var shell: ActiveXObject = new ActiveXObject('WScript.Shell');
var count: number = 'not a number';
var label: string = shell ? 42 : 0;
