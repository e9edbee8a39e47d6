-- A client's Idempotency-Key, stored in the transaction that wrote the transfer: the primary key makes a second
-- transfer under the same key impossible, whatever the timing. Rows are purged after bank.idempotency.retention.
create table idempotency_key (
    key         varchar(255) primary key,
    transfer_id bigint       not null references transfer (id),
    created_at  timestamptz  not null default now()
);

create index idempotency_key_created_at_idx on idempotency_key (created_at);
