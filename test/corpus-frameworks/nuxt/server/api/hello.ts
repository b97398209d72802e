export default defineEventHandler((event) => {
  const { name } = getQuery(event)
  return { hello: typeof name === 'string' ? name : 'world' }
})
