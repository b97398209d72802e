// A NestJS service as `nest new` lays it out: decorators with emitted metadata, constructor injection,
// a tsconfig `paths` alias, and class fields under useDefineForClassFields: false (target ES2021).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '@app/app.module';
import { Counter } from '@app/counter';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  for (const path of ['/items', '/items/2', '/items/9', '/health']) {
    const response = await fetch(url + path);
    console.log(`GET ${path} ${response.status} ${await response.text()}`);
  }
  console.log(`counter field: ${new Counter().count}`);
  await app.close();
}
main();
