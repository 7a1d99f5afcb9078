/**
 * MediaUploads: the subgraphs' side of the uploads' rows. attach and detach run in the caller's
 * transaction, so an image row of a listing or a message and the upload's claim commit together.
 */
import { badInput, forbidden } from "../errors.ts";
import { localized } from "../i18n.ts";
import { isUuid } from "../ids.ts";
import type { PubSub } from "../pubsub.ts";
import { MEDIA_DETACHED_CHANNEL, UNATTACHED_TTL_MS, type AttachedImage, type MediaDetachedEvent, type MediaUploads } from "./media.ts";

const FIELD = "imageIds";

export function createMediaUploads(deps: { pubsub: PubSub; now?: () => Date }): MediaUploads {
  const now = deps.now ?? (() => new Date());
  return {
    async attach(tx, ownerId, ids, purpose) {
      if (ids.length === 0) return [];
      if (new Set(ids).size !== ids.length) {
        throw badInput(localized("Aceeași imagine apare de două ori.", "The same image is listed twice."), FIELD, "INVALID");
      }
      if (!ids.every(isUuid)) throw badInput(localized("Imaginea nu există.", "The image does not exist."), FIELD, "NOT_FOUND");
      const at = now();
      const rows = await tx.mediaUpload.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const oldest = at.getTime() - UNATTACHED_TTL_MS;
      for (const id of ids) {
        const row = byId.get(id);
        // Past its 24 h an unclaimed upload is the sweeper's: its files may be gone any moment.
        if (!row || row.detachedAt || (!row.purpose && row.createdAt.getTime() <= oldest)) {
          throw badInput(localized("Imaginea nu există; încarc-o din nou.", "The image does not exist; upload it again."), FIELD, "NOT_FOUND");
        }
        if (row.ownerId !== ownerId) throw forbidden("Poți folosi doar imaginile încărcate de tine.");
        if (row.purpose) {
          throw badInput(localized("Imaginea este deja folosită; încarc-o din nou.", "The image is already used; upload it again."), FIELD, "NOT_ALLOWED");
        }
      }
      // Conditional on still being free: of two transactions claiming the same upload, one claims nothing.
      const claimed = await tx.mediaUpload.updateMany({
        where: { id: { in: [...ids] }, ownerId, purpose: null, detachedAt: null },
        data: { purpose, attachedAt: at },
      });
      if (claimed.count !== ids.length) {
        throw badInput(localized("Imaginea este deja folosită; încarc-o din nou.", "The image is already used; upload it again."), FIELD, "NOT_ALLOWED");
      }
      return ids.map((id): AttachedImage => {
        const row = byId.get(id)!;
        return { id, width: row.width, height: row.height, dominantColor: row.dominantColor };
      });
    },

    async detach(tx, ids) {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return;
      await tx.mediaUpload.updateMany({ where: { id: { in: valid }, detachedAt: null }, data: { detachedAt: now() } });
      // Announced before the caller commits (there is no commit hook): a gateway that hears it stops
      // caching these ids for a while (gateway/media/rows.ts), so a read between now and the commit
      // is not kept either.
      await deps.pubsub.publish(MEDIA_DETACHED_CHANNEL, { ids: valid } satisfies MediaDetachedEvent);
    },
  };
}
