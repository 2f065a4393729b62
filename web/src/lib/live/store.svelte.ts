import {
  DEFAULT_ROLE_PERMISSIONS,
  roomSetStatus,
  type Ack,
  type CommandSpec,
  type ErrorBody,
  type Membership,
  type PayloadOf,
  type Permission,
  type PropertySnapshotBase,
  type RoomStatus,
  type SessionUser,
} from '@innboard/shared';
import { toast } from '#lib/ui/toast.svelte.ts';
import { STATUS_LABEL } from '#lib/rooms/status.ts';
import { LiveClient, describeError, type ConnectionState, type LiveError } from './client.ts';
import { newId } from './ids.ts';
import { NotificationCentre } from './notifications.svelte.ts';
import { settle, withOptimistic, type Optimistic } from './optimistic.ts';
import { applyEvent, fromSnapshot, withRoomStatus, type PropertyReadModel, type Room, type RoomType } from './read-model.ts';

/** How `PropertyStore.act` shows a command before the server answers, and what it says if refused. */
export interface ActOptions {
  /** Ids of the things it changes, marked as saving meanwhile. */
  targets?: string[];
  /** The change as the board expects the server to make it; undone if the server says no. */
  apply?: (model: PropertyReadModel) => PropertyReadModel;
  /** Start of the error toast, e.g. "Room 204 was not started". Omit to stay silent (the caller shows it). */
  failure?: string;
}

/**
 * The read model of one property, live: the confirmed state from the server (snapshot + events) with
 * this user's unconfirmed changes on top.
 */
export class PropertyStore {
  readonly propertyId: string;
  readonly #client: LiveClient;
  readonly #unwatch: () => void;

  #confirmed = $state.raw<PropertyReadModel | null>(null);
  #pending = $state.raw<readonly Optimistic[]>([]);
  /** Why this property cannot be shown (e.g. access was removed). */
  error = $state<string | null>(null);

  /** What the screen shows: confirmed state plus pending changes. Null until the first snapshot. */
  readonly model = $derived(this.#confirmed && withOptimistic(this.#confirmed, this.#pending));
  readonly rooms: Room[] = $derived(this.model ? Object.values(this.model.rooms) : []);
  readonly roomTypes: Readonly<Record<string, RoomType>> = $derived(this.model?.roomTypes ?? {});
  /** Ids of rooms (and other things) with a change not yet confirmed. */
  readonly pendingIds: ReadonlySet<string> = $derived(new Set(this.#pending.flatMap((p) => p.targets)));

  constructor(client: LiveClient, propertyId: string) {
    this.#client = client;
    this.propertyId = propertyId;
    this.#unwatch = client.watch<PropertySnapshotBase>(propertyId, {
      snapshot: (snapshot, seq) =>
        this.#confirm(fromSnapshot(snapshot, seq, { viewerId: client.user?.id ?? null })),
      event: (event) => {
        if (this.#confirmed) this.#confirm(applyEvent(this.#confirmed, event));
      },
      error: (error: LiveError) => {
        this.error = error.message;
      },
    });
  }

  get loaded(): boolean {
    return this.#confirmed !== null;
  }

  dispose(): void {
    this.#unwatch();
  }

  /** Set a room's housekeeping status now, and undo it with a message if the server says no. */
  async setRoomStatus(roomId: string, status: RoomStatus, reason?: string): Promise<void> {
    const room = this.model?.rooms[roomId];
    if (!room || room.status === status) return;
    await this.act(
      roomSetStatus,
      { roomId, status, reason: reason?.trim() || undefined },
      {
        targets: [roomId],
        apply: (m) => withRoomStatus(m, roomId, status),
        failure: `Room ${room.number} was not set to ${STATUS_LABEL[status].toLowerCase()}`,
      },
    );
  }

  /**
   * Send a command, showing `apply` on top of the confirmed model until the server's event confirms
   * it, or dropping it (with a toast when `failure` is given) if the server says no. Resolves with the ack.
   */
  async act<C extends CommandSpec>(spec: C, payload: PayloadOf<C>, options: ActOptions = {}): Promise<Ack> {
    const change: Optimistic | null = options.apply
      ? { commandId: newId(), targets: options.targets ?? [], apply: options.apply }
      : null;
    if (change) this.#pending = [...this.#pending, change];
    const ack = await this.#client.command(spec, payload, change ? { id: change.commandId } : {});
    if (change) {
      const confirmedSeq = this.#confirmed?.seq ?? 0;
      if (ack.ok && ack.seq !== undefined && ack.seq > confirmedSeq) {
        // Acked before its event arrived: keep showing it until the event is folded in.
        change.settleAtSeq = ack.seq;
      } else {
        this.#pending = this.#pending.filter((c) => c !== change);
      }
    }
    if (!ack.ok && options.failure) toast.error(`${options.failure}: ${describeError(ack.error)}`);
    return ack;
  }

  #confirm(model: PropertyReadModel): void {
    this.#confirmed = model;
    this.#pending = settle(this.#pending, model.seq);
  }
}

const PROPERTY_KEY = 'innboard.propertyId';
const browser = typeof window !== 'undefined';

/** App-wide live state: who is signed in, the connection, and the property being worked on. */
class LiveApp {
  readonly client: LiveClient;
  /** The signed-in user's notifications (per user, not per property). */
  readonly notifications: NotificationCentre;

  user = $state<SessionUser | null>(null);
  connection = $state<ConnectionState>('offline');
  /** Commands issued but not yet answered by the server. */
  queued = $state(0);
  /** Why the oldest of them waits to be sent again although connected (server busy or not answering). */
  waiting = $state.raw<ErrorBody | null>(null);
  /** That command is being sent again right now. */
  resending = $state(false);
  propertyId = $state<string | null>(null);
  /** The current property's live read model; replaced when the property changes. */
  property = $state.raw<PropertyStore | null>(null);

  readonly memberships: Membership[] = $derived(this.user?.memberships ?? []);
  readonly membership: Membership | null = $derived(
    this.memberships.find((m) => m.propertyId === this.propertyId) ?? null,
  );
  /** What the user may do at the current property. A login from before permissions were sent falls back to the role's defaults. */
  readonly permissions: ReadonlySet<Permission> = $derived(
    new Set(this.membership ? (this.membership.permissions ?? DEFAULT_ROLE_PERMISSIONS[this.membership.role] ?? []) : []),
  );

  /** Whether the user may do this here: the board hides or disables what the server would refuse. */
  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  constructor() {
    this.client = new LiveClient({ storage: browser ? window.sessionStorage : undefined });
    this.notifications = new NotificationCentre(this.client);
    this.client.onChange(() => this.#pull());
    this.client.onSessionEnd((reason) => {
      this.#setProperty(null);
      if (reason === 'expired') toast.error('Your session has ended. Please sign in again.');
    });
    this.#pull();
    const saved = browser ? window.sessionStorage.getItem(PROPERTY_KEY) : null;
    if (saved) this.selectProperty(saved);
  }

  /** Connect when the page is up and someone is signed in. */
  start(): void {
    this.client.start();
    if (!this.propertyId && this.memberships.length === 1) this.selectProperty(this.memberships[0].propertyId);
  }

  async login(email: string, password: string): Promise<SessionUser> {
    const user = await this.client.login(email, password);
    const keep = user.memberships.some((m) => m.propertyId === this.propertyId);
    if (!keep) this.#setProperty(user.memberships.length === 1 ? user.memberships[0].propertyId : null);
    return user;
  }

  async logout(): Promise<void> {
    this.#setProperty(null);
    await this.client.logout();
  }

  /** Work on this property. Ignored unless the user is a member of it. */
  selectProperty(propertyId: string): boolean {
    if (!this.memberships.some((m) => m.propertyId === propertyId)) return false;
    this.#setProperty(propertyId);
    return true;
  }

  #setProperty(propertyId: string | null): void {
    if (propertyId === this.propertyId && (propertyId === null || this.property)) return;
    this.property?.dispose();
    this.propertyId = propertyId;
    this.property = propertyId ? new PropertyStore(this.client, propertyId) : null;
    if (!browser) return;
    if (propertyId) window.sessionStorage.setItem(PROPERTY_KEY, propertyId);
    else window.sessionStorage.removeItem(PROPERTY_KEY);
  }

  #pull(): void {
    this.user = this.client.user;
    this.connection = this.client.state;
    this.queued = this.client.queued;
    this.waiting = this.client.waiting;
    this.resending = this.client.resending;
  }
}

export const live = new LiveApp();
