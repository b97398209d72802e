// A subclass redeclaring a field its base sets: with useDefineForClassFields false the base's value stays.
class Base {
  count: number;
  constructor() { this.count = 7; }
}
export class Counter extends Base {
  declare readonly label: string;
  count!: number;
}
