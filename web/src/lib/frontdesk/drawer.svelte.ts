/** Which reservation the drawer shows, shared by every front-desk screen. */
class DrawerState {
  id = $state<string | null>(null);
  /** Where focus goes back to when the drawer closes. */
  #opener: HTMLElement | null = null;

  open(reservationId: string, opener?: HTMLElement | null): void {
    this.#opener = opener ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    this.id = reservationId;
  }

  close(): void {
    this.id = null;
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  }
}

export const drawer = new DrawerState();
