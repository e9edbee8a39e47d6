-- Repeatable, not once: Flyway runs it again whenever it changes, placeholders included, so a deployment that splits
-- its roles later, or renames the service's role, gets the grants at its next start. The service's role (quarkus.flyway.placeholders.service_role, the datasource's
-- user unless set) gets what the service does to rows and nothing else: no DDL, no TRUNCATE, no UPDATE or DELETE on
-- the ledger; row locks need UPDATE, so accounts have it. Nothing to grant when one role does both.
do
$grants$
declare
    -- Dollar-quoted, so that any name survives; the spaces matter: a dollar sign right before the placeholder would
    -- make Flyway read it as an escaped placeholder and leave it as it is.
    service_role text := btrim($role$ ${service_role} $role$);
begin
    if service_role = '' or service_role = current_user then
        return;
    end if;
    execute format('grant usage on schema public to %I', service_role);
    execute format('grant select, insert, update on account to %I', service_role);
    execute format('grant select, insert on transfer to %I', service_role);
    execute format('grant select, insert, delete on idempotency_key to %I', service_role);
    execute format('grant usage on sequence transfer_id_seq to %I', service_role);
    execute format('grant select, insert, update on hold to %I', service_role);
    execute format('grant select, insert, delete on hold_key to %I', service_role);
    execute format('grant usage on sequence hold_id_seq to %I', service_role);
    execute format('grant select, insert, update on audit_checkpoint to %I', service_role);
end
$grants$;
