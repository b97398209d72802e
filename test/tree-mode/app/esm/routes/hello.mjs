import ms from 'ms';
export default () => `hello ${ms(3_600_000, { long: true })}`;
