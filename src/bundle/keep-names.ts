// esbuild's keepNames helper (`__name`) redefines `name` on every function and class it wraps, each
// time one is created: a closure an app makes per request (Express's router `next`, send's `onstat`)
// then costs ~1.5 µs more and becomes a dictionary-mode object (measured on Node 24, issue 24). The
// name needs defining only where it differs from what the function already has: esbuild renamed the
// binding (`var X = class _X`) or minified it. Defining it or not gives the same descriptor
// ({ value, writable: false, enumerable: false, configurable: true }), and __name still returns its target.

const readable = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
const cheapReadable = 'var __name = (target, value) => target.name === value ? target : __defProp(target, "name", { value, configurable: true });';
// The same helper minified: `=(t,r)=>c(t,"name",{value:r,configurable:!0})`.
const minified = /=\(([\w$]+),([\w$]+)\)=>([\w$]+)\(\1,"name",\{value:\2,configurable:!0\}\)/g;

/** The bundle with esbuild's __name helper defining a name only when the function does not already have it. */
export function withCheapNames(code: string): string {
  return code.replaceAll(readable, cheapReadable).replace(minified, '=($1,$2)=>$1.name===$2?$1:$3($1,"name",{value:$2,configurable:!0})');
}
