import {
  billingConfigure, folioAdjust, folioCreate, folioGet, folioPostCharge, folioReverse, folioRoute, folioTakePayment, folioTransferToReceivable,
  invoiceCredit, invoiceGet, invoiceIssue, invoiceList, paymentCollect, paymentList, refundApprove, refundList, refundReject, refundRequest,
} from '@innboard/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byEntity, byPropertyId, defineHandler, type ScopeQuery, type ScopeResolver } from '../../pipeline/types.ts';
import { adjustFolio, createFolio, getFolios, postChargeCommand, reverseLine, routeDepartment, transferToReceivable } from './folio.service.ts';
import { approveRefund, listPayments, listRefunds, rejectRefund, requestRefund, takePayment } from './payment.service.ts';
import { creditInvoice, getInvoice, issueInvoice, listInvoices } from './invoice.service.ts';
import { configureBilling } from './settings.service.ts';
import { collectPayment } from './deposit.service.ts';

const byFolio = byEntity('folio', 'folioId');
const byReservation = byEntity('reservation', 'reservationId');

/** Payloads that name either a stay, a folio or the property itself. */
type StayFolioOrProperty = { reservationId?: string; folioId?: string; propertyId?: string };
const stayFolioOrPropertyQuery = (p: StayFolioOrProperty): ScopeQuery =>
  p.reservationId ? { sql: 'select property_id from reservation where id = ?', params: [p.reservationId] }
    : p.folioId ? { sql: 'select property_id from folio where id = ?', params: [p.folioId] }
      : { sql: 'select id from property where id = ?', params: [p.propertyId] };
const byStayFolioOrProperty: ScopeResolver<StayFolioOrProperty> = Object.assign(
  async (p: StayFolioOrProperty, em: EntityManager) => {
    const { sql, params } = stayFolioOrPropertyQuery(p);
    const [row] = await em.execute<Record<string, string>[]>(sql, params);
    return row ? Object.values(row)[0]! : null;
  },
  { query: stayFolioOrPropertyQuery },
);

export const billingHandlers = [
  defineHandler(folioGet, { scope: byStayFolioOrProperty, handle: getFolios }),
  defineHandler(folioCreate, { scope: byStayFolioOrProperty, handle: createFolio }),
  defineHandler(folioPostCharge, { scope: byFolio, handle: postChargeCommand }),
  defineHandler(folioAdjust, { scope: byFolio, handle: adjustFolio }),
  defineHandler(folioReverse, { scope: byFolio, handle: reverseLine }),
  defineHandler(folioRoute, { scope: byReservation, handle: routeDepartment }),
  defineHandler(folioTransferToReceivable, { scope: byFolio, handle: transferToReceivable }),
  defineHandler(folioTakePayment, { scope: byFolio, handle: takePayment }),
  defineHandler(refundRequest, { scope: byEntity('payment', 'paymentId'), handle: requestRefund }),
  defineHandler(refundApprove, { scope: byEntity('refund', 'refundId'), handle: approveRefund }),
  defineHandler(refundReject, { scope: byEntity('refund', 'refundId'), handle: rejectRefund }),
  defineHandler(refundList, { scope: byPropertyId, handle: listRefunds }),
  defineHandler(paymentList, { scope: byReservation, handle: listPayments }),
  defineHandler(paymentCollect, { scope: byEntity('payment', 'paymentId'), handle: collectPayment }),
  defineHandler(invoiceIssue, { scope: byFolio, handle: issueInvoice }),
  defineHandler(invoiceCredit, { scope: byEntity('invoice', 'invoiceId'), handle: creditInvoice }),
  defineHandler(invoiceGet, { scope: byEntity('invoice', 'invoiceId'), handle: getInvoice }),
  defineHandler(invoiceList, { scope: byStayFolioOrProperty, handle: listInvoices }),
  defineHandler(billingConfigure, { scope: byPropertyId, handle: configureBilling }),
];
