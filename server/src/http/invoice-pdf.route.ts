// GET /api/invoices/<invoiceId>.pdf with the access token as a bearer token. 401 without a valid
// token (or a deactivated account), 404 for an unknown invoice or one of a hotel the user is not a
// member of (no existence leak), 403 for a member whose role may not read folios.
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { can, type Access } from '../identity/authorize.ts';
import type { TokenService } from '../identity/tokens.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Property } from '../domains/property/entities.ts';
import { Invoice } from '../domains/billing/entities.ts';
import { invoiceViews } from '../domains/billing/views.ts';
import { renderInvoicePdf } from '../domains/billing/invoice-pdf.ts';
import { json, type ExtraRoute } from './routes.ts';

export interface InvoicePdfDeps {
  orm: MikroORM;
  tokens: TokenService;
  loadAccess(em: EntityManager, userId: string, propertyId: string): Promise<Access | null>;
}

const uuid = z.uuid();
const notFound = () => json(404, { error: { code: 'NOT_FOUND', message: 'Invoice not found' } });
const unauthorized = (message: string) => json(401, { error: { code: 'UNAUTHORIZED', message } }, { 'www-authenticate': 'Bearer' });

export function invoicePdfRoutes(deps: InvoicePdfDeps): ExtraRoute[] {
  return [{
    method: 'GET',
    path: '/api/invoices/:invoiceId.pdf',
    handle: async (req, params) => {
      const header = req.headers.authorization ?? '';
      const claims = header.startsWith('Bearer ') ? await deps.tokens.verifyAccess(header.slice(7).trim()) : null;
      if (!claims) return unauthorized('A valid access token is required');
      if (!uuid.safeParse(params.invoiceId).success) return notFound();
      const em = deps.orm.em.fork();
      const invoice = await em.findOne(Invoice, params.invoiceId!, { populate: ['folio'] });
      if (!invoice) return notFound();
      const access = await deps.loadAccess(em, claims.userId, invoice.property.id);
      if (!access) return notFound();
      if (!access.active) return unauthorized('Your account is no longer active');
      if (!can(access, 'folio.read')) return json(403, { error: { code: 'FORBIDDEN', message: 'Your role does not allow reading invoices' } });
      const [view] = await invoiceViews(em, [invoice]);
      const property = await em.findOneOrFail(Property, invoice.property.id);
      // A credit note names the invoice it cancels by its printed number.
      const cancelled = view!.creditOfInvoiceId ? await em.findOne(Invoice, view!.creditOfInvoiceId, { populate: ['folio'] }) : null;
      const creditsNumber = cancelled ? (await invoiceViews(em, [cancelled]))[0]!.displayNumber : null;
      const pdf = await renderInvoicePdf(view!, { name: property.name }, { creditsNumber });
      return {
        status: 200,
        headers: {
          'content-type': 'application/pdf', 'content-disposition': `inline; filename="${view!.displayNumber}.pdf"`,
          'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff',
        },
        body: pdf,
      };
    },
  }];
}
