package org.acme.bank.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.acme.bank.support.Bank;
import org.acme.bank.support.RestartablePostgres;
import org.acme.bank.support.ServiceProcess;
import org.acme.bank.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at / in a real browser (headless Chromium from the system's packages), against the packaged service with
 * the deadlock demonstration on and the article's pause between the locks: with two owners' tokens pasted (the packaged
 * service serves no dev tokens), the naive lab shows deadlocks, the pessimistic one none, both keep the books, and the
 * page opens no account; without tokens it says so and sends nothing. Without Chromium the test is skipped, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private RestartablePostgres postgres;
    private ServiceProcess service;
    private Bank bank;
    private WebDriver browser;

    @BeforeAll
    void startServiceAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String skipped = "SKIPPED LabPageIT: no browser. Install Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run does) to test the page at / in Chromium.";
            System.out.println(skipped);
            Assumptions.abort(skipped);
        }
        postgres = RestartablePostgres.start();
        service = ServiceProcess.start("lab-page-instance", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("lab-page"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "BANK_TRANSFER_NAIVE_ENABLED", "true",
                "BANK_TRANSFER_PAUSE_BETWEEN_LOCKS", "100ms"));
        bank = Bank.at(service.uri());
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (RestartablePostgres database = postgres; ServiceProcess one = service) {
            // Closed in reverse order: the service, then the database.
        }
    }

    @Test
    void naiveDeadlocksAndPessimisticDoesNotAndBothKeepTheBooks() throws Exception {
        long first = bank.openAccount("lab-page-owner-a", "1000.00");
        long second = bank.openAccount("lab-page-owner-b", "1000.00");
        int accountsBefore = accountCount();
        WebDriverWait wait = openThePage();
        assertEquals(4, new Select(browser.findElement(By.id("strategy"))).getOptions().size(),
                "pessimistic, optimistic, batched and naive are enabled here");
        paste("token-a", Tokens.customer("lab-page-owner-a"));
        paste("token-b", Tokens.customer("lab-page-owner-b"));
        paste("token-auditor", Tokens.auditor("lab-page-auditor"));

        Map<String, Integer> naive = runLab(wait, "naive", false);
        Map<String, Integer> pessimistic = runLab(wait, "pessimistic", true);

        System.out.printf("lab page: naive %s, pessimistic %s%n", naive, pessimistic);
        assertTrue(naive.get("deadlocks") > 0, "naive deadlocks: " + naive);
        assertEquals(naive.get("succeeded") + naive.get("deadlocks") + naive.get("conflicts") + naive.get("other"), 24);
        assertEquals(Map.of("succeeded", 24, "deadlocks", 0, "conflicts", 0, "retries", 0, "other", 0), pessimistic);
        assertEquals(2, browser.findElements(By.cssSelector("#chart text")).stream()
                .filter(label -> label.getText().equals("naive") || label.getText().equals("pessimistic")).count(),
                "both strategies side by side in the chart");
        String fromAToB = "account " + first + " → " + second;
        assertTrue(browser.findElements(By.cssSelector("#answers li")).stream()
                .anyMatch(answer -> answer.getDomProperty("textContent").contains(fromAToB)),
                "the page took each owner's funded account");
        assertEquals(naive.get("succeeded") + 24, bank.transferCount(first),
                "every transfer the page counted as succeeded is in the ledger, and no other");
        assertEquals(0, new BigDecimal("2000.00").compareTo(bank.balance(first).add(bank.balance(second))));
        assertBooksBalance();
        assertEquals(accountsBefore, accountCount(), "the page opened no account");
        assertEquals(service.uri().resolve("/").toString(), browser.getCurrentUrl(), "no token in the address");
        Path screenshot = Path.of("target", "lab-page.png");
        Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        System.out.println("lab page: screenshot in " + screenshot.toAbsolutePath());
    }

    /** The packaged service serves no dev tokens: the fields stay empty, and Run says what it needs. */
    @Test
    void withoutTokensRunSaysSoAndMovesNothing() {
        JsonNode before = bank.audit();
        WebDriverWait wait = openThePage();
        assertEquals("", browser.findElement(By.id("token-a")).getDomProperty("value"));
        assertEquals("", browser.findElement(By.id("token-b")).getDomProperty("value"));

        browser.findElement(By.id("run")).click();
        wait.until(page -> status().startsWith("Run needs owner A's and owner B's tokens"));

        paste("token-a", Tokens.customer("lab-page-alone"));
        paste("token-b", Tokens.customer("lab-page-alone"));
        browser.findElement(By.id("run")).click();
        wait.until(page -> status().startsWith("Owner A and owner B are the same subject (lab-page-alone)"));

        JsonNode after = bank.audit();
        assertEquals(before.get("transfers"), after.get("transfers"), "no transfer was made");
        assertEquals(before.get("accounts"), after.get("accounts"), "no account was opened");
        assertTrue(browser.findElements(By.cssSelector("#answers li")).isEmpty(), "nothing was sent");
    }

    private WebDriverWait openThePage() {
        browser.get(service.uri().resolve("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(page -> status().startsWith("Ready"));
        return wait;
    }

    /** Into a token field, as a paste would: the token never appears in the page's address. */
    private void paste(String field, String token) {
        WebElement input = browser.findElement(By.id(field));
        input.clear();
        input.sendKeys(token);
    }

    private int accountCount() {
        return bank.getJson("/accounts?size=1000").size();
    }

    private void assertBooksBalance() {
        JsonNode audit = bank.audit();
        assertEquals(0, audit.get("negativeBalances").asLong(), audit.toString());
        assertEquals(0, audit.get("mismatchedAccounts").asLong(), audit.toString());
    }

    /** Chooses the strategy, 8 users of 3 transfers, and runs: by a click, or from the keyboard. */
    private Map<String, Integer> runLab(WebDriverWait wait, String strategy, boolean withKeyboard) {
        new Select(browser.findElement(By.id("strategy"))).selectByValue(strategy);
        WebElement users = browser.findElement(By.id("users"));
        users.clear();
        users.sendKeys("8");
        WebElement transfers = browser.findElement(By.id("transfers"));
        transfers.clear();
        transfers.sendKeys("3");
        if (withKeyboard) {
            transfers.sendKeys(Keys.ENTER);
        } else {
            browser.findElement(By.id("run")).click();
        }
        wait.until(page -> status().startsWith("Done: " + strategy));
        String verdict = browser.findElement(By.id("verdict")).getText();
        assertTrue(verdict.startsWith("Money conserved") && verdict.contains("the books balance"), verdict);
        return Map.of("succeeded", count("succeeded"), "deadlocks", count("deadlocks"),
                "conflicts", count("conflicts"), "retries", count("retries"), "other", count("other"));
    }

    private String status() {
        return browser.findElement(By.id("status")).getText();
    }

    private int count(String outcome) {
        return Integer.parseInt(browser.findElement(By.cssSelector("[data-count='" + outcome + "']")).getText());
    }
}
