-- Multi-leg transactions: every leg is a ledger row that names its transaction, whose id is that of its first leg
-- (that row names itself). Plain transfers leave it null, so the column and the partial index cost them nothing.
alter table transfer add column transaction_id bigint references transfer (id);
create index transfer_transaction_idx on transfer (transaction_id, id) where transaction_id is not null;
