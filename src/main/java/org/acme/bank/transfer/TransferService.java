package org.acme.bank.transfer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.acme.bank.ledger.Transfer;

/** Moves money with the strategy the client named. */
@ApplicationScoped
public class TransferService {

    private final Map<String, TransferStrategy> enabledStrategies;

    @Inject
    TransferService(@Any Instance<TransferStrategy> strategies) {
        this(strategies.stream().toList());
    }

    TransferService(List<TransferStrategy> strategies) {
        this.enabledStrategies = strategies.stream()
                .filter(TransferStrategy::enabled)
                .collect(Collectors.toUnmodifiableMap(TransferStrategy::name, Function.identity()));
    }

    public Transfer transfer(String strategyName, TransferCommand command) {
        return strategy(strategyName).execute(command);
    }

    TransferStrategy strategy(String name) {
        TransferStrategy strategy = enabledStrategies.get(name);
        if (strategy == null) {
            throw new UnknownStrategyException(name);
        }
        return strategy;
    }
}
