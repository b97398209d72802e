import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(): string {
    return this.appService.getHello();
  }

  @Get('users/:id')
  getUser(@Param('id', ParseIntPipe) id: number) {
    return { id, name: `user ${id}` };
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
}
