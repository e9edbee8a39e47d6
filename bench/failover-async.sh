#!/usr/bin/env bash
# What asynchronous replication loses: FailoverIT's first drill (two instances under keyed load, the primary's whole
# node SIGKILLed, pg_auto_failover promoting the standby) with the standby out of the commit quorum, so that a COMMIT
# returns before the standby has its WAL. It prints the acknowledged transfers the new primary does not have; with
# synchronous replication (the test in ./mvnw verify) that figure must be 0. A measurement, not a promise: run it a few
# times. Needs Debian's postgresql-15-auto-failover (as .ci/run installs it); about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='FailoverIT#thePrimaryIsLostUnderLoadAndNothingAcknowledgedIsLost' -Dbank.failover.replication=async \
  | grep -E 'FailoverIT|Tests run:|BUILD'
