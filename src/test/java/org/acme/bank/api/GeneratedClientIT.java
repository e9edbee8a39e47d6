package org.acme.bank.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.util.List;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.acme.bank.client.ApiClient;
import org.acme.bank.client.ApiException;
import org.acme.bank.client.ApiResponse;
import org.acme.bank.client.api.AccountsApi;
import org.acme.bank.client.api.AuditApi;
import org.acme.bank.client.api.TransactionsApi;
import org.acme.bank.client.api.TransfersApi;
import org.acme.bank.client.model.AccountView;
import org.acme.bank.client.model.Audit;
import org.acme.bank.client.model.BulkItem;
import org.acme.bank.client.model.BulkRequest;
import org.acme.bank.client.model.BulkResponse;
import org.acme.bank.client.model.BulkResult;
import org.acme.bank.client.model.OpenAccountRequest;
import org.acme.bank.client.model.OpenAccountRequestBalance;
import org.acme.bank.client.model.Problem;
import org.acme.bank.client.model.TransactionRequest;
import org.acme.bank.client.model.TransactionView;
import org.acme.bank.client.model.TransferRequest;
import org.acme.bank.client.model.Amount;
import org.acme.bank.client.model.TransferView;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service driven only through the Java client that openapi-generator makes from docs/openapi.yaml: what
 * a user of the published contract gets, errors included.
 */
@QuarkusIntegrationTest
class GeneratedClientIT {

    /** The teller who opens the accounts. */
    private AccountsApi teller;
    /** Alice, a customer, whose client moves her money and reads what is hers. */
    private ApiClient client;
    private AccountsApi accounts;
    private TransfersApi transfers;
    private AuditApi audit;

    /** After Quarkus has told RestAssured where the packaged service listens. */
    @BeforeEach
    void connect() {
        teller = new AccountsApi(clientOf(Tokens.teller("Tess")));
        client = clientOf(Tokens.customer("Alice"));
        accounts = new AccountsApi(client);
        transfers = new TransfersApi(client);
        audit = new AuditApi(clientOf(Tokens.auditor("Audrey")));
    }

    /** A generated client that sends the bearer token the document's security scheme asks for. */
    private static ApiClient clientOf(String token) {
        ApiClient client = new ApiClient(HttpClient.newBuilder(), ApiClient.createDefaultObjectMapper(),
                RestAssured.baseURI + ":" + RestAssured.port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    @Test
    void everyStrategyAKeyedRepeatTheHistoryAndTheAudit() throws ApiException {
        // Money either way the contract allows: a number, or a decimal string.
        AccountView alice = teller.openAccount(new OpenAccountRequest().owner("Alice")
                .balance(new OpenAccountRequestBalance(new BigDecimal("100.00"))));
        AccountView bob = teller.openAccount(new OpenAccountRequest().owner("Bob"));
        TransferRequest tenToBob = new TransferRequest().from(alice.getId()).to(bob.getId())
                .amount(new Amount("10.00"));

        TransferView pessimistic = transfers.transferPessimistic(tenToBob, null);
        TransferView optimistic = transfers.transferOptimistic(tenToBob, null);
        ApiResponse<TransferView> batched = transfers.transferBatchedWithHttpInfo(tenToBob, "client-" + alice.getId());
        ApiResponse<TransferView> repeat = transfers.transferBatchedWithHttpInfo(tenToBob, "client-" + alice.getId());

        assertEquals(List.of("pessimistic", "optimistic"), List.of(pessimistic.getStrategy(), optimistic.getStrategy()));
        assertEquals(201, batched.getStatusCode());
        assertEquals(List.of("/transfers/" + batched.getData().getId()), batched.getHeaders().get("location"));
        assertEquals(200, repeat.getStatusCode());
        assertEquals(List.of("true"), repeat.getHeaders().get("idempotent-replayed"));
        assertEquals(batched.getData().getId(), repeat.getData().getId());
        assertEquals(batched.getData(), transfers.getTransfer(batched.getData().getId()));
        assertEquals(new BigDecimal("70.00"), accounts.getAccount(alice.getId()).getBalance());
        assertEquals(List.of(batched.getData().getId(), optimistic.getId(), pessimistic.getId()),
                accounts.accountTransfers(alice.getId(), null, null, null).stream().map(TransferView::getId).toList());
        Audit books = audit.audit(false);
        assertEquals(0, books.getNegativeBalances());
        assertEquals(0, books.getMismatchedAccounts());
    }

    @Test
    void aRefusalReachesTheCallerWithItsProblemDocument() throws Exception {
        AccountView alice = teller.openAccount(new OpenAccountRequest().owner("Alice")
                .balance(new OpenAccountRequestBalance("5.00")));
        AccountView bob = teller.openAccount(new OpenAccountRequest().owner("Bob"));

        Problem missingMoney = problem(assertThrows(ApiException.class, () -> transfers.transferPessimistic(
                new TransferRequest().from(alice.getId()).to(bob.getId()).amount(new Amount(new BigDecimal("6.00"))), null)));
        Problem unknownAccount = problem(assertThrows(ApiException.class, () -> accounts.getAccount(Long.MAX_VALUE)));
        Problem bobsAccount = problem(assertThrows(ApiException.class, () -> transfers.transferOptimistic(
                new TransferRequest().from(bob.getId()).to(alice.getId()).amount(new Amount("0.01")), null)));
        Problem notAnAuditor = problem(assertThrows(ApiException.class, () -> new AuditApi(client).audit(false)));
        Problem noToken = problem(assertThrows(ApiException.class, () -> new AccountsApi(new ApiClient(
                HttpClient.newBuilder(), ApiClient.createDefaultObjectMapper(), RestAssured.baseURI + ":"
                + RestAssured.port)).listAccounts(null, null)));

        assertEquals(Problem.TypeEnum._PROBLEMS_INSUFFICIENT_FUNDS, missingMoney.getType());
        assertEquals(422, missingMoney.getStatus());
        assertEquals(Problem.TypeEnum._PROBLEMS_ACCOUNT_NOT_FOUND, unknownAccount.getType());
        assertEquals(404, unknownAccount.getStatus());
        assertEquals(Problem.TypeEnum._PROBLEMS_ACCOUNT_NOT_FOUND, bobsAccount.getType());
        assertEquals(Problem.TypeEnum._PROBLEMS_FORBIDDEN, notAnAuditor.getType());
        assertEquals(Problem.TypeEnum._PROBLEMS_UNAUTHORIZED, noToken.getType());
        assertEquals(new BigDecimal("5.00"), accounts.getAccount(alice.getId()).getBalance());
    }

    @Test
    void aTransactionAppliesAllItsLegsOrNoneAndABulkAnswersEachItem() throws Exception {
        AccountView alice = teller.openAccount(new OpenAccountRequest().owner("Alice")
                .balance(new OpenAccountRequestBalance("50.00")));
        AccountView bob = teller.openAccount(new OpenAccountRequest().owner("Bob"));
        AccountView fees = teller.openAccount(new OpenAccountRequest().owner("Bank"));
        TransactionsApi transactions = new TransactionsApi(client);

        TransactionView payment = transactions.transactPessimistic(new TransactionRequest().legs(List.of(
                new TransferRequest().from(alice.getId()).to(bob.getId()).amount(new Amount("20.00")),
                new TransferRequest().from(alice.getId()).to(fees.getId()).amount(new Amount("0.50")))),
                "payment-" + alice.getId());
        Problem overdrawn = problem(assertThrows(ApiException.class, () -> transactions.transactBatched(
                new TransactionRequest().legs(List.of(
                        new TransferRequest().from(alice.getId()).to(bob.getId()).amount(new Amount("20.00")),
                        new TransferRequest().from(alice.getId()).to(fees.getId()).amount(new Amount("10.00")))),
                null)));
        BulkResponse bulk = transfers.transferBulk(new BulkRequest().transfers(List.of(
                new BulkItem().from(alice.getId()).to(bob.getId()).amount(new Amount("1.00")),
                new BulkItem().from(bob.getId()).to(alice.getId()).amount(new Amount("1.00")))));

        assertEquals(payment, transactions.getTransaction(payment.getId()));
        assertEquals(List.of(payment.getId(), payment.getId()),
                payment.getLegs().stream().map(TransferView::getTransactionId).toList());
        assertEquals(Problem.TypeEnum._PROBLEMS_INSUFFICIENT_FUNDS, overdrawn.getType());
        assertEquals(1, overdrawn.getLeg());
        assertEquals(List.of(201, 404), bulk.getResults().stream().map(BulkResult::getStatus).toList());
        assertEquals(Problem.TypeEnum._PROBLEMS_ACCOUNT_NOT_FOUND, bulk.getResults().get(1).getProblem().getType());
        assertEquals(new BigDecimal("28.50"), accounts.getAccount(alice.getId()).getBalance());
    }

    private Problem problem(ApiException refused) throws Exception {
        return client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
    }
}
