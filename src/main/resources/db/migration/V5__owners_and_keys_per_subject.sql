-- Identity: an account's owner is its holder's subject (the sub of their tokens, up to 255 characters), and a customer
-- lists their own accounts by it.
alter table account alter column owner type varchar(255);
create index account_owner_idx on account (owner, id);

-- Idempotency keys are per subject: the same string from two subjects is two keys. A key already stored belongs to the
-- sender of its transfer, whose owner sent it. The key leads the primary key, so that a batch's refused keys are
-- found by their strings.
alter table idempotency_key add column subject varchar(255);
update idempotency_key k
   set subject = a.owner
  from transfer t
  join account a on a.id = t.from_account_id
 where t.id = k.transfer_id;
alter table idempotency_key alter column subject set not null;
alter table idempotency_key drop constraint idempotency_key_pkey;
alter table idempotency_key add primary key (key, subject);
