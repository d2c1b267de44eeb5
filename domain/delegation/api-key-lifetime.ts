/**
 * Keys live at most this long, like other delegated access (external
 * administrators are bounded the same way). Its own module so the route
 * table's schemas can name it without pulling the API Gateway client into
 * every function's bundle.
 */
export const maxKeyLifetimeDays = 730;
