import {
  folioAdjust,
  folioCreate,
  folioGet,
  folioPostCharge,
  folioReverse,
  folioRoute,
  folioTakePayment,
  folioTransferToReceivable,
  invoiceCredit,
  invoiceIssue,
  invoiceList,
  paymentCollect,
  paymentList,
  refundRequest,
  type Ack,
  type CommandSpec,
  type Department,
  type FolioGetResult,
  type FolioView,
  type InvoiceView,
  type PayloadOf,
  type FolioPaymentMethod,
  type FolioPaymentView,
} from '@innboard/shared';
import { describeError } from '#lib/live/errors.ts';
import { live } from '#lib/live/store.svelte.ts';
import { invoicePdfPath } from './folio.ts';

/**
 * The folios of one stay, as the drawer shows them: loaded with folio.get (plus its payments and
 * invoices) and loaded again whenever an event says they changed. Every change goes through the
 * server; nothing here guesses a balance.
 */
export class FolioSession {
  readonly reservationId: string;
  folios = $state.raw<FolioView[]>([]);
  payments = $state.raw<FolioPaymentView[]>([]);
  invoices = $state.raw<InvoiceView[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** A newer load wins: an answer to an older one is dropped. */
  #generation = 0;

  constructor(reservationId: string) {
    this.reservationId = reservationId;
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    const reservationId = this.reservationId;
    const [folios, payments, invoices] = await Promise.all([
      live.client.command(folioGet, { reservationId }) as Promise<Ack<FolioGetResult>>,
      live.client.command(paymentList, { reservationId }) as Promise<Ack<{ payments: FolioPaymentView[] }>>,
      live.client.command(invoiceList, { reservationId }) as Promise<Ack<{ invoices: InvoiceView[] }>>,
    ]);
    if (generation !== this.#generation) return;
    const failed = [folios, payments, invoices].find((a) => !a.ok);
    this.error = failed && !failed.ok ? describeError(failed.error) : null;
    if (folios.ok) this.folios = folios.result.folios;
    if (payments.ok) this.payments = payments.result.payments;
    if (invoices.ok) this.invoices = invoices.result.invoices;
    this.loaded = true;
  }

  folio(folioId: string | null | undefined): FolioView | undefined {
    return this.folios.find((f) => f.folioId === folioId);
  }

  postCharge(folioId: string, department: Department, description: string, amount: number, quantity: number): Promise<Ack> {
    return this.#run(folioPostCharge, { folioId, department, description, amount, quantity });
  }

  /** Signed: negative is an allowance, positive a correction upwards (or a fee on a closed stay). */
  adjust(folioId: string, department: Department, amount: number, reason: string): Promise<Ack> {
    return this.#run(folioAdjust, { folioId, department, amount, reason });
  }

  reverse(folioId: string, lineId: string, reason: string): Promise<Ack> {
    return this.#run(folioReverse, { folioId, lineId, reason });
  }

  takePayment(folioId: string, method: FolioPaymentMethod, amount: number, reference?: string, cardLast4?: string): Promise<Ack> {
    return this.#run(folioTakePayment, { folioId, method, amount, reference: reference || undefined, cardLast4: method === 'card' && cardLast4 ? cardLast4 : undefined });
  }

  addCompanyFolio(name: string): Promise<Ack> {
    return this.#run(folioCreate, { reservationId: this.reservationId, kind: 'company', name });
  }

  route(department: Department, toFolioId: string): Promise<Ack> {
    return this.#run(folioRoute, { reservationId: this.reservationId, department, toFolioId });
  }

  transferToReceivable(folioId: string, reason?: string): Promise<Ack> {
    return this.#run(folioTransferToReceivable, { folioId, reason: reason || undefined });
  }

  issueInvoice(folioId: string, billTo?: string): Promise<Ack> {
    return this.#run(invoiceIssue, { folioId, billTo: billTo || undefined });
  }

  collect(paymentId: string, method: FolioPaymentMethod, cardLast4?: string): Promise<Ack> {
    return this.#run(paymentCollect, { paymentId, method, cardLast4: method === 'card' && cardLast4 ? cardLast4 : undefined });
  }

  creditInvoice(invoiceId: string, reason: string): Promise<Ack> {
    return this.#run(invoiceCredit, { invoiceId, reason });
  }

  requestRefund(paymentId: string, amount: number, reason: string): Promise<Ack> {
    return this.#run(refundRequest, { paymentId, amount, reason });
  }

  /** Reload after our own change too: its event may come before or after the ack. */
  async #run<C extends CommandSpec>(spec: C, payload: PayloadOf<C>): Promise<Ack> {
    const ack = await live.client.command(spec, payload);
    if (ack.ok) void this.load();
    return ack;
  }
}

/** The invoice PDF as a blob (for a new tab or a saved file), or why the server refused it. */
export async function fetchInvoicePdf(invoiceId: string): Promise<{ blob: Blob } | { error: string }> {
  try {
    const response = await live.client.fetchAuthorized(invoicePdfPath(invoiceId));
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      return { error: body?.error?.message ?? `The invoice could not be loaded (${response.status})` };
    }
    return { blob: await response.blob() };
  } catch {
    return { error: 'The invoice could not be loaded: no connection to the server' };
  }
}
