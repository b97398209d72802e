// Kitteh: upload a picture, get a cat name and three sizes. `kitteh help` lists commands and settings.
import { runApp } from 'seabuild/runtime';
import { kitteh } from './app.ts';

runApp(kitteh);
