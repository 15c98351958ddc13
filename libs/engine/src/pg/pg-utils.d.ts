/** node-postgres's own parameter serialisation (untyped upstream). */
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): string | Buffer | null | undefined };
  export default utils;
}
