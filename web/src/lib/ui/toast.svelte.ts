export type ToastTone = 'error' | 'info';

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

/**
 * One message at a time, newest wins: a burst of failures (e.g. a replayed offline queue) must not
 * bury the board. Errors stay longer than notices.
 */
class Toaster {
  current = $state<Toast | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextId = 1;

  show(message: string, tone: ToastTone = 'info', ms = tone === 'error' ? 8_000 : 4_000): void {
    clearTimeout(this.#timer);
    const toast = { id: this.#nextId++, message, tone };
    this.current = toast;
    this.#timer = setTimeout(() => {
      if (this.current?.id === toast.id) this.current = null;
    }, ms);
  }

  error(message: string): void {
    this.show(message, 'error');
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.current = null;
  }
}

export const toast = new Toaster();
