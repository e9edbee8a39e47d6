-- Dev mode only (see %dev.quarkus.flyway.locations): a few accounts to play with. Not part of any artifact.
insert into account (owner, balance, opening_balance)
select owner, balance, balance
  from (values ('Alice', 1000.00), ('Bob', 1000.00), ('Carol', 500.00), ('Dave', 250.00), ('Erin', 0.00))
       as sample(owner, balance)
 where not exists (select 1 from account);
