-- A ledger row's accounts exist: checked once per INSERT statement, not twice per row. The foreign keys checked each
-- row with a query of its own (and a key-share lock on an account the writer already holds locked); a batch of 1000
-- transfers paid 2000 of them, and PostgreSQL alone applied half as many batches on a hot pair as without them
-- (docs/lab.md). One query over the statement's new rows does the same check, each account it names once.
alter table transfer
    drop constraint transfer_from_account_id_fkey,
    drop constraint transfer_to_account_id_fkey;

-- The schema's tables as this migration sees them, whatever the search_path of the role that inserts (the foreign
-- keys named the table itself).
create function transfer_accounts_exist() returns trigger
    language plpgsql
    set search_path from current as
$$
begin
    -- Each account named once, looked up by its key: a scalar subquery is never turned into a join, which the planner,
    -- knowing nothing of the new rows' number, would make a hash join over every account.
    if exists (select 1
                 from (select from_account_id from entered union select to_account_id from entered) as named (id)
                where (select a.id from account a where a.id = named.id) is null) then
        raise exception 'a ledger row names an account that does not exist' using errcode = 'foreign_key_violation';
    end if;
    return null;
end;
$$;

create trigger transfer_accounts_exist
    after insert on transfer
    referencing new table as entered
    for each statement execute function transfer_accounts_exist();

-- What the foreign keys also kept: an account the ledger names is never deleted, nor its id changed. No account is
-- ever deleted, so none may be.
create function account_is_kept() returns trigger
    language plpgsql
    set search_path from current as
$$
begin
    raise exception 'accounts are kept for the ledger: % refused', tg_op using errcode = 'foreign_key_violation';
end;
$$;

create trigger account_kept
    before delete or update of id on account
    for each row execute function account_is_kept();

create trigger account_not_truncated
    before truncate on account
    for each statement execute function account_is_kept();
