/**
 * Same-id commands of one user on one node share one attempt. The board resends an undecided command
 * (UNAVAILABLE, no ack) with the same id; while the first attempt still runs (blocked on a row lock, a
 * frozen database), a second transaction would only queue behind it for the same outcome, holding one
 * more database connection per resend per board. A resend joins the running attempt instead and gets
 * its answer. Keyed by user too: another user's command with that id is not theirs to share and goes
 * to the pipeline, which answers it as it always has.
 */
export function createCommandFlights<T>() {
  const running = new Map<string, Promise<T>>();
  return {
    run(userId: string, commandId: unknown, attempt: () => Promise<T>): Promise<T> {
      // Ids are UUIDs; anything else is refused by the pipeline anyway and is not worth a map entry.
      if (typeof commandId !== 'string' || commandId.length > 64) return attempt();
      const key = `${userId} ${commandId}`;
      const joined = running.get(key);
      if (joined) return joined;
      const flight = attempt().finally(() => running.delete(key));
      running.set(key, flight);
      return flight;
    },
  };
}
