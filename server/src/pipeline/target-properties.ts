/**
 * The property of each fast command's target (a room), remembered from an earlier command's committed statement so
 * the next command on it can go out as one statement: the sequencer needs the property before the statement is sent. Safe because a
 * target never changes property and the statement still checks `property_id`: a wrong entry only makes it apply
 * to nothing, and the checked path answers. Bounded, least recently used first out, because targets pile up for as
 * long as the process runs across every property it serves; a forgotten one costs the next command a preflight.
 */
export function createTargetProperties(capacity: number) {
  const byTarget = new Map<string, string>();
  return {
    get(target: string): string | undefined {
      const propertyId = byTarget.get(target);
      if (propertyId !== undefined) {
        // A Map iterates in insertion order: moving the entry to the end keeps the oldest first in line.
        byTarget.delete(target);
        byTarget.set(target, propertyId);
      }
      return propertyId;
    },
    learn(target: string, propertyId: string) {
      byTarget.delete(target);
      byTarget.set(target, propertyId);
      if (byTarget.size > capacity) byTarget.delete(byTarget.keys().next().value!);
    },
    /** A target the preflight found gone. */
    forget(target: string) {
      byTarget.delete(target);
    },
    get size() {
      return byTarget.size;
    },
  };
}
