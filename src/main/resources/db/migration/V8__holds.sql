-- Holds: money reserved on the sender's account until it is posted (in full or in part: a transfer), voided, or
-- expires. An account keeps the sum of its pending holds, changed only under its row lock, so that every check of what
-- it can spend reads one row: available = balance - held + what of held has expired and not yet been released (read
-- from the holds by index only when held is not zero). The scheduled clean-up marks expired holds and releases them.
alter table account add column held numeric(19, 2) not null default 0 check (held >= 0);

-- A hold's id is drawn before anything is written, so that its idempotency key is claimed first, as a transfer's is.
create sequence hold_id_seq;

create table hold (
    id              bigint         primary key default nextval('hold_id_seq'),
    from_account_id bigint         not null references account (id),
    to_account_id   bigint         not null references account (id),
    amount          numeric(19, 2) not null check (amount > 0),
    strategy        varchar(20)    not null,
    status          varchar(10)    not null check (status in ('pending', 'posted', 'voided', 'expired')),
    created_at      timestamptz    not null,
    expires_at      timestamptz    not null,
    -- When it left pending, and for a posted hold the amount posted and the transfer that moved it.
    resolved_at     timestamptz,
    posted_amount   numeric(19, 2) check (posted_amount > 0 and posted_amount <= amount),
    transfer_id     bigint references transfer (id),
    check (from_account_id <> to_account_id),
    check (expires_at > created_at),
    check ((status = 'pending') = (resolved_at is null)),
    check ((status = 'posted') = (transfer_id is not null) and (status = 'posted') = (posted_amount is not null))
);

create index hold_pending_idx on hold (from_account_id, expires_at) where status = 'pending';
create index hold_expiry_idx on hold (expires_at) where status = 'pending';
-- As of an instant, a hold counts from its creation until it was resolved or expired.
create index hold_account_idx on hold (from_account_id, created_at);

-- A subject's idempotency key for a hold operation (place, post, void): keys of holds are their own, apart from the
-- transfers' keys, and purged with them. A posting's transfer is the one its hold names.
create table hold_key (
    key         varchar(255) not null,
    subject     varchar(255) not null,
    operation   varchar(10)  not null check (operation in ('place', 'post', 'void')),
    -- Claimed before the hold it names is written: checked at COMMIT.
    hold_id     bigint       not null references hold (id) deferrable initially deferred,
    created_at  timestamptz  not null default now(),
    primary key (key, subject)
);

create index hold_key_created_at_idx on hold_key (created_at);

alter sequence hold_id_seq owned by hold.id;
