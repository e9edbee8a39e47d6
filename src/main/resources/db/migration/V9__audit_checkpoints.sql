-- The incremental audit: for each account, the entry up to which its running balances were verified and the balance
-- after it. An audit checks only what came after, and moves the checkpoint of each account it found in order.
create table audit_checkpoint (
    account_id bigint         primary key references account (id),
    entry      bigint         not null check (entry >= 0),
    balance    numeric(19, 2) not null,
    checked_at timestamptz    not null
);

-- Rows written by plain SQL, without running balances, found without reading the ledger (normally none at all).
create index transfer_from_unsequenced_idx on transfer (from_account_id) where from_entry is null;
create index transfer_to_unsequenced_idx on transfer (to_account_id) where to_entry is null;
