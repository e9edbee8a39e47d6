package org.acme.bank.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.acme.bank.support.Bank.Answer;
import org.acme.bank.support.Bank.Transfer;

/** Fires transfers from many threads that a latch releases together, and records what each request was answered. */
public final class ConcurrentTransfers {

    private ConcurrentTransfers() {
    }

    /** Runs each user's transfers in order, all users at once, and returns every answer. */
    public static List<Answer> run(Bank bank, List<List<Transfer>> transfersPerUser) throws Exception {
        return runRequests(transfersPerUser.stream().map(transfers -> transfers.stream()
                .<Supplier<Answer>>map(transfer -> () -> bank.send(transfer)).toList()).toList());
    }

    /** Sends each user's requests in order, all users at once, and returns every answer. */
    public static List<Answer> runRequests(List<List<Supplier<Answer>>> requestsPerUser) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requestsPerUser.size());
        try {
            List<Future<List<Answer>>> users = new ArrayList<>();
            for (List<Supplier<Answer>> requests : requestsPerUser) {
                users.add(pool.submit(() -> {
                    start.await();
                    List<Answer> answers = new ArrayList<>();
                    for (Supplier<Answer> request : requests) {
                        answers.add(request.get());
                    }
                    return answers;
                }));
            }
            start.countDown();
            List<Answer> all = new ArrayList<>();
            for (Future<List<Answer>> user : users) {
                all.addAll(user.get());
            }
            return Collections.unmodifiableList(all);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts by answer, such as {@code {201=790, 409 /problems/deadlock=10}}, for assertion messages. */
    public static String summary(Collection<Answer> answers) {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach(answer -> counts.merge(answer.summary(), 1L, Long::sum));
        return counts.toString();
    }

    public static long count(List<Answer> answers, int status) {
        return answers.stream().filter(answer -> answer.status() == status).count();
    }

    public static long count(List<Answer> answers, String problemType) {
        return answers.stream().filter(answer -> problemType.equals(answer.problemType())).count();
    }
}
