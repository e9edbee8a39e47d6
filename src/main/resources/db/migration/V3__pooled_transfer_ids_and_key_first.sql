-- Ledger ids from a sequence that hands out blocks of 50 (Hibernate's pooled-lo optimizer, Quarkus' default: each
-- nextval reserves the 50 ids from the value it returns), so that the service knows a transfer's id without a round
-- trip and its INSERT can go out in a JDBC batch, which an identity column forbids. Existing rows keep their ids; new
-- ones start above them. SQL clients still get an id by default (one nextval, one id: no block is shared).
alter table transfer alter column id drop identity;
create sequence transfer_id_seq increment by 50 owned by transfer.id;
select setval('transfer_id_seq', (select coalesce(max(id), 0) + 50 from transfer), false);
alter table transfer alter column id set default nextval('transfer_id_seq');

-- A keyed transfer writes its key first (insert ... on conflict do nothing), so that a twin request waits on the key
-- rather than on the accounts; the transfer row it points to is written later in the same transaction, so the
-- reference is checked at COMMIT.
alter table idempotency_key drop constraint idempotency_key_transfer_id_fkey;
alter table idempotency_key add constraint idempotency_key_transfer_id_fkey
    foreign key (transfer_id) references transfer (id) deferrable initially deferred;
