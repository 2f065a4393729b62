import { contentCreate, contentList, contentPublish } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createContentPage, listContentPages, publishContentPage } from './content.service.ts';

export const contentHandlers = [
  defineHandler(contentCreate, { scope: byPropertyId, handle: createContentPage }),
  defineHandler(contentList, { scope: byPropertyId, handle: listContentPages }),
  defineHandler(contentPublish, { scope: byEntity('content_page', 'pageId'), handle: publishContentPage }),
];
