/**
 * Another service or the sidecar could not be reached (down, restarting, overloaded). The event
 * being processed is fine: it must be tried again later, not dead-lettered as if it were poison.
 */
export class DependencyUnavailable extends Error {
  override readonly name = 'DependencyUnavailable';
}
