package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.state.Sleeper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault scenarios of bench/faults, at any scale: the real handlers, built in this JVM on
 * ddb-warden's own SDK clients pointed at a {@link FaultProxy} in front of moto_server, with Lambda's
 * asynchronous retries and on-failure destination simulated by {@link LambdaSim}, and replay-failures' own
 * code finishing what is left. Each returns a {@link Tally}; bench/faults prints them, FaultsFastIT asserts
 * on them.
 */
final class FaultScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An operator replays the failure queue well after Lambda gave up, not in the same second. */
    private static final Duration REPLAY_LATER = Duration.ofMinutes(15);
    private static final Sleeper NO_WAIT = duration -> { };
    /** The ledger's update that records an alert as sent (DynamoLedger.alertSent), as it appears on the wire. */
    private static final String ALERT_SENT = "alertStatus = :sent";
    /** The ledger's update that gives up a lease (DynamoLedger.releaseLease), as it appears on the wire. */
    private static final String LEASE_RELEASE = "SET #lease = :zero";

    /** How big each scenario is. */
    record Scale(String name, int events, double concurrentShare, int threads, double updateTableErrors,
                 int outageEvents, int freezeRequests, Duration freezeWindow, Duration freezeHold, Duration refuseWindow,
                 int snsEvents, int snsFailedInvocations, int mutants, int mutationWorkers, int tugRounds, Duration deadline,
                 Duration firstRetryPause, Duration secondRetryPause) {
    }

    static final Scale FULL = new Scale("full", 1_000, 0.10, 4, 0.20,
            200, 0, Duration.ofSeconds(25), Duration.ofSeconds(30), Duration.ofSeconds(10),
            100, 20, 10_000, 3, 20, Duration.ofMinutes(12),
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    static final Scale FAST = new Scale("fast", 40, 0.25, 4, 0.20,
            40, 5, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(3),
            20, 3, 500, 2, 8, Duration.ofMinutes(3),
            Duration.ofMillis(300), Duration.ofMillis(600));

    private final MotoServer moto;
    private final long seed;
    private final Scale scale;

    FaultScenarios(MotoServer moto, long seed, Scale scale) {
        this.moto = moto;
        this.seed = seed;
        this.scale = scale;
    }

    // ------------------------------------------------------------------------------------------ deliveries

    /**
     * Recorded and generated events, each delivered twice, some of them twice at once from different
     * threads, with 500s on a share of UpdateTable calls: every table ends right, one alert per violation.
     */
    Tally deliveries() throws Exception {
        Tally tally = new Tally("deliveries: " + scale.events() + " events x2, " + percent(scale.concurrentShare())
                + " at once, 500 on " + percent(scale.updateTableErrors()) + " of UpdateTable");
        long start = System.nanoTime();
        try (FaultsWorld world = FaultsWorld.create(moto, seed, Map.of())) {
            List<Corpus.Case> cases = setUp(world, Corpus.generate(scale.events(), seed, true, k -> true));
            tally.events = cases.size();
            world.proxy.sometimes(FaultProxy.Fault.ERROR_500, FaultProxy.Match.call("dynamodb", "UpdateTable"),
                    scale.updateTableErrors(), 0);
            world.proxy.sometimes(FaultProxy.Fault.RESET, FaultProxy.Match.call("dynamodb", "PutResourcePolicy"), 0.05, 0);
            world.proxy.sometimes(FaultProxy.Fault.THROTTLE, FaultProxy.Match.call("dynamodb", "DescribeTable"), 0.02, 0);
            LambdaSim sim = new LambdaSim(world, tally, Clock.systemUTC(), Sleeper.REAL,
                    scale.firstRetryPause(), scale.secondRetryPause());
            deliverAll(world, sim, tally, cases, 2, scale.concurrentShare(), null);
            world.proxy.clearRules();
            finish(world, tally, cases);
        }
        tally.millis = (System.nanoTime() - start) / 1_000_000;
        return tally;
    }

    // ------------------------------------------------------------------------------------------ outage

    /**
     * The endpoint frozen, then refusing connections, while events are delivered: what fails is retried by
     * Lambda or lands in the failure queue (some events never reach a function and land in the rule's
     * dead-letter queue), and replay-failures finishes the job. Two faults are placed, not left to timing:
     * the first time the ledger records an alert as sent, every attempt of that write fails, so that the run
     * which published the alert throws and Lambda retries it; and, before the rest, one event's run fails
     * on its fix and then on releasing its ledger lease, so that Lambda's retry finds the lease still held.
     * At the end every event is delivered once more, half an hour later: nothing may change or alert again.
     */
    Tally outage() throws Exception {
        String freeze = scale.freezeRequests() > 0 ? "frozen for " + scale.freezeRequests() + " requests"
                : "frozen " + scale.freezeWindow().toSeconds() + " s";
        Tally tally = new Tally("outage: " + scale.outageEvents() + " events, endpoint " + freeze + ", refusing "
                + scale.refuseWindow().toSeconds() + " s, 2 placed faults");
        long start = System.nanoTime();
        try (FaultsWorld world = FaultsWorld.create(moto, seed + 1, Map.of())) {
            // The fixes, and the alerts sent once per key, whose ledger record a fault may cut off as it does a fix's.
            List<Corpus.Case> cases = setUp(world, Corpus.generate(scale.outageEvents(), seed + 1, false,
                    Corpus.NEEDS_FIX.or(k -> k.fold() == AlertFold.SOURCE_HOUR)));
            tally.events = cases.size();
            // The moment no retry can see: an alert went out, and the ledger write saying so fails on every
            // attempt the SDK makes, as it would if the endpoint froze right after the publish.
            FaultProxy.Rule lostAcknowledgement = world.proxy.wholeCall(10, FaultProxy.Fault.ERROR_500,
                    FaultProxy.Match.call("dynamodb", "UpdateItem").and(FaultProxy.Match.bodyContains(ALERT_SENT)), 0);
            LambdaSim sim = new LambdaSim(world, tally, Clock.systemUTC(), Sleeper.REAL,
                    scale.firstRetryPause(), scale.secondRetryPause());
            FaultProxy.Recorder faults = new FaultProxy.Recorder(10_000);
            world.proxy.onExchange(exchange -> {
                if (exchange.fault() != null) {
                    faults.accept(exchange);
                }
            });
            // A second placed fault, alone so that nothing else interferes: one run whose fix fails on every
            // attempt, and whose release of its ledger lease then fails too (the endpoint went away mid-run).
            // Lambda retries a minute later; the retry must still finish the job.
            // Its table must need an UpdateTable fix: the first case whose table must end protected.
            Corpus.Case alone = cases.stream().filter(c -> c.kind().end() == Corpus.End.PROTECTED && c.kind().needsFix())
                    .findFirst().orElseThrow();
            FaultProxy.Rule fixFails = world.proxy.wholeCall(10, FaultProxy.Fault.ERROR_500, FaultProxy.Match.call("dynamodb", "UpdateTable"), 0);
            FaultProxy.Rule releaseFails = world.proxy.wholeCall(10, FaultProxy.Fault.ERROR_500,
                    FaultProxy.Match.call("dynamodb", "UpdateItem").and(FaultProxy.Match.bodyContains(LEASE_RELEASE)), 0);
            for (String function : Corpus.functionsFor(world, alone.event())) {
                sim.deliver(function, alone.event());
            }
            fixFails.remove();
            releaseFails.remove();
            tally.check(fixFails.fired() > 0 && releaseFails.fired() > 0, "the placed fault on " + alone.table()
                    + " found nothing to fail (fix " + fixFails.fired() + ", lease release " + releaseFails.fired()
                    + " requests; update LEASE_RELEASE)");
            AtomicInteger done = new AtomicInteger();
            Thread controller = new Thread(() -> outageController(world, tally, done, cases.size() - 1), "outage-controller");
            controller.setDaemon(true);
            controller.start();
            deliverAll(world, sim, tally, cases.stream().filter(c -> c != alone).toList(), 1, 0, done);
            controller.join(scale.deadline().toMillis());
            world.proxy.clearRules();
            world.proxy.accept();
            tally.check(lostAcknowledgement.fired() > 0, "the ledger never recorded an alert as sent with '" + ALERT_SENT
                    + "': the lost-acknowledgement fault found nothing to fail (update ALERT_SENT)");
            Map<String, Long> frozenCalls = new java.util.TreeMap<>();
            faults.since(0).forEach(e -> frozenCalls.merge(e.fault() + " " + e.service() + ":" + e.operation(), 1L, Long::sum));
            tally.note("faults injected: " + frozenCalls);
            tally.note("frozen connections: " + world.proxy.frozenReleasedByClient() + " abandoned by the client's timeout, "
                    + world.proxy.frozenDropped() + " dropped by the proxy; " + tally.sentToFailureQueue.sum()
                    + " invocations ended in the failure queue, " + tally.sentToDeadLetterQueue.sum() + " events in the dead-letter queue");
            finish(world, tally, cases, true);
        }
        tally.millis = (System.nanoTime() - start) / 1_000_000;
        return tally;
    }

    private void outageController(FaultsWorld world, Tally tally, AtomicInteger done, int total) {
        try {
            Instant deadline = Instant.now().plus(scale.deadline());
            awaitProgress(done, total / 4, deadline);
            FaultProxy.Rule frozen;
            if (scale.freezeRequests() > 0) {
                frozen = world.proxy.next(scale.freezeRequests(), FaultProxy.Fault.FREEZE, FaultProxy.Match.any(),
                        scale.freezeHold().toMillis());
                while (frozen.fired() < scale.freezeRequests() && Instant.now().isBefore(deadline) && done.get() < total) {
                    Thread.sleep(50);
                }
            } else {
                frozen = world.proxy.always(FaultProxy.Fault.FREEZE, FaultProxy.Match.any(), scale.freezeHold().toMillis());
                Thread.sleep(scale.freezeWindow().toMillis());
            }
            frozen.remove();
            awaitProgress(done, total * 3 / 5, deadline);
            world.proxy.refuse();
            Thread.sleep(scale.refuseWindow().toMillis());
            world.proxy.accept();
        } catch (Exception e) {
            tally.check(false, "the outage controller failed: " + e);
        }
    }

    private static void awaitProgress(AtomicInteger done, int target, Instant deadline) throws InterruptedException {
        while (done.get() < target && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------------------------------ SNS down

    /**
     * SNS failing while DynamoDB works: the fixes stand at once, the alerts go out on Lambda's retries (or
     * from the failure queue), one each, even though every event is delivered twice.
     */
    Tally snsDown() throws Exception {
        Tally tally = new Tally("SNS down: " + scale.snsEvents() + " events x2, Publish failing until "
                + scale.snsFailedInvocations() + " invocations failed");
        long start = System.nanoTime();
        try (FaultsWorld world = FaultsWorld.create(moto, seed + 2, Map.of())) {
            List<Corpus.Case> cases = setUp(world, Corpus.generate(scale.snsEvents(), seed + 2, false,
                    k -> k.needsFix() && k.region().equals(LocalAws.REGION) && k.end() == Corpus.End.PROTECTED
                            // one rule each: the fix that must stand at every failed publish is that rule's (an IAM
                            // user's CreateTable also draws the iam-users alert, whose publish may fail before the fix)
                            && k.violations() == 1 && k.fold() == AlertFold.NONE));
            tally.events = cases.size();
            Map<String, Corpus.Case> byEventId = new HashMap<>();
            cases.forEach(c -> byEventId.put(c.eventId(), c));
            FaultProxy.Rule publishDown = world.proxy.always(FaultProxy.Fault.ERROR_500, FaultProxy.Match.call("sns", "Publish"), 0);
            AtomicInteger failedPublishes = new AtomicInteger();
            AtomicInteger fixStood = new AtomicInteger();
            List<String> fixMissing = Collections.synchronizedList(new ArrayList<>());
            LambdaSim sim = new LambdaSim(world, tally, Clock.systemUTC(), Sleeper.REAL,
                    scale.firstRetryPause(), scale.secondRetryPause());
            sim.onFailure((thrown, event) -> {
                if (!(thrown instanceof software.amazon.awssdk.services.sns.model.SnsException)) {
                    return;
                }
                Corpus.Case c = byEventId.get(LambdaSim.eventId(event));
                if (c != null) {
                    if (Corpus.wrongEnd(world, c).isEmpty()) {
                        fixStood.incrementAndGet();
                    } else {
                        fixMissing.add(c.table());
                    }
                }
                if (failedPublishes.incrementAndGet() >= scale.snsFailedInvocations()) {
                    publishDown.remove();
                }
            });
            deliverAll(world, sim, tally, cases, 2, scale.concurrentShare(), null);
            publishDown.remove();
            tally.check(failedPublishes.get() > 0, "SNS never failed an invocation: the scenario tested nothing");
            tally.check(fixMissing.isEmpty(), "a fix did not stand while SNS was down: " + fixMissing);
            tally.note(failedPublishes.get() + " invocations failed on Publish; the fix was already in place for "
                    + fixStood.get() + " of them; " + publishDown.fired() + " Publish requests refused");
            finish(world, tally, cases);
        }
        tally.millis = (System.nanoTime() - start) / 1_000_000;
        return tally;
    }

    // ------------------------------------------------------------------------------------------ mutations

    /**
     * Hostile variations of every sample, each delivered to every function: no exception but an AWS error
     * or a deliberate retry, no AWS call at all for an event a handler ignored, and no write to a table the
     * event does not name. A spy on ddb-warden's own clients sees every call and the table it names; these
     * run straight against moto (no faults here: the input is the fault).
     */
    Tally mutations() throws Exception {
        Tally tally = new Tally("mutations: " + scale.mutants() + " events, seed " + seed);
        long start = System.nanoTime();
        try (FaultsWorld world = FaultsWorld.create(moto, seed + 3, Map.of())) {
            List<String> tables = List.of("orders", "payments", "invoices", "customers", "sessions", "audit-log",
                    "legacy-sessions", "ledger-like", "orders-restored", "payments-restored", "imported-orders",
                    "secure-docs", "events-log", "shared-reports", "partner-feed", "org-analytics", "legacy-orders", "foreign");
            for (int i = 0; i < tables.size(); i++) {
                world.estate.createTable(tables.get(i), i % 3 == 0);
            }
            world.estate.replayPolicyWrite(Project.event("put-resource-policy-public.json"));
            world.estate.replayPolicyWrite(Project.event("put-resource-policy-cross-account.json"));
            world.estate.replayPolicyWrite(Project.event("put-resource-policy-trusted-org.json"));
            world.in("ap-southeast-2").createTable("customer-copy", false);
            world.in("ap-southeast-2").createTable("orders-sydney", false);
            world.in("sa-east-1").createTable("imported-sa", false);
            Random names = new Random(seed);
            List<String> longNames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                StringBuilder name = new StringBuilder("long-");
                while (name.length() < 255) {
                    name.append((char) ('a' + names.nextInt(26)));
                }
                longNames.add(name.toString());
                world.estate.createTable(name.toString(), false);
            }
            List<String> bases = new ArrayList<>();
            for (String file : Project.eventFiles()) {
                bases.add(Project.event(file));
            }
            // First, in every run: a deletion, a public policy and an unprotected table whose actor's ARN fills
            // the 256 KB an event may have (the ledger entry and the alert quote the actor).
            Mutator mutator = new Mutator(seed, bases, tables, longNames).first(Mutator.oversizedActors(List.of(
                    Project.event("delete-table.json"), Project.event("put-resource-policy-public.json"),
                    Project.event("create-table-unprotected.json"))));
            MutationTotals totals = new MutationTotals();
            AtomicInteger nextIndex = new AtomicInteger();
            // Each worker is a container of its own; the spy on ddb-warden's clients ties every call to the
            // invocation that made it, with the table the call names.
            CallSpy spy = new CallSpy();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < scale.mutationWorkers(); w++) {
                Map<String, RequestStreamHandler> handlers = world.handlers(spy.services(world.settings(), Clock.systemUTC(), NO_WAIT));
                Thread worker = new Thread(() -> mutate(world, tally, mutator, nextIndex, spy, handlers, totals), "mutations-" + w);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            Instant deadline = Instant.now().plus(scale.deadline());
            for (Thread worker : workers) {
                worker.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
                if (worker.isAlive()) {
                    tally.check(false, "the mutants were not done within " + scale.deadline().toMinutes() + " min");
                }
            }
            tally.check(spy.unattributed() == 0, spy.unattributed() + " AWS calls made outside any invocation");
            tally.note(totals.calls.get() + " AWS calls, " + totals.writes.get() + " of them writes to tables");
            int unnamedWrites = totals.unnamedWrites.get();
            int callsWhenIgnored = totals.callsWhenIgnored.get();
            List<String> samples = totals.samples;
            long ignored = totals.ignored.get();
            long acted = totals.acted.get();
            tally.events = nextIndex.get();
            tally.check(unnamedWrites == 0, unnamedWrites + " writes to tables the event did not name");
            tally.check(callsWhenIgnored == 0, callsWhenIgnored + " ignored events made AWS calls");
            tally.check(totals.permanentErrors.get() == 0, totals.permanentErrors.get() + " invocations threw an AWS error their input"
                    + " caused (a 400 ValidationException): Lambda would retry it, then park it in the failure queue, for nothing");
            samples.forEach(tally::note);
            tally.note(ignored + " invocations ignored their mutant, " + acted + " read or acted on a table it names; "
                    + tally.awsErrors.sum() + " AWS errors, " + tally.retrySignals.sum() + " deliberate retries thrown");
            finish(world, tally, List.of());
        }
        tally.millis = (System.nanoTime() - start) / 1_000_000;
        return tally;
    }

    /** Counters the mutation workers share. */
    private static final class MutationTotals {
        final AtomicInteger unnamedWrites = new AtomicInteger();
        final AtomicInteger callsWhenIgnored = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong ignored = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong acted = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
        final AtomicInteger permanentErrors = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        final List<String> samples = Collections.synchronizedList(new ArrayList<>());
    }

    /**
     * One worker: takes the next mutant, delivers it to the functions EventBridge would route it to and to one
     * more picked at random (every handler meets events no rule would send it), and holds each invocation to
     * account on what its proxy saw.
     */
    private void mutate(FaultsWorld world, Tally tally, Mutator mutator, AtomicInteger nextIndex, CallSpy spy,
                        Map<String, RequestStreamHandler> handlers, MutationTotals totals) {
        ExecutorService runner = Executors.newSingleThreadExecutor(daemon("mutant"));
        List<String> functions = new ArrayList<>(handlers.keySet());
        try {
            while (true) {
                int index;
                String mutant;
                synchronized (mutator) {
                    if (nextIndex.get() >= scale.mutants()) {
                        return;
                    }
                    index = nextIndex.getAndIncrement();
                    mutant = mutator.next();
                }
                Set<String> targets = new java.util.TreeSet<>(routed(world, mutant));
                targets.add(functions.get(new Random(seed * 31 + index).nextInt(functions.size())));
                Set<String> named = strings(mutant);
                for (String function : targets) {
                    tally.invocations.increment();
                    String context = "mutant " + index + " -> " + function;
                    RequestStreamHandler handler = handlers.get(function);
                    Future<Observed> call = runner.submit(() -> {
                        spy.begin();
                        try {
                            return new Observed(invoke(world, handler, function, mutant), null, spy.end());
                        } catch (Exception | Error e) {
                            return new Observed(null, e, spy.end());
                        }
                    });
                    Observed observed;
                    try {
                        observed = call.get(60, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        call.cancel(true);
                        tally.crash(new IllegalStateException("no answer in 60 s"), context);
                        runner.shutdownNow();
                        runner = Executors.newSingleThreadExecutor(daemon("mutant"));
                        continue;
                    } catch (java.util.concurrent.ExecutionException e) {
                        tally.crash(e.getCause(), context);
                        continue;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    JsonNode result = observed.result();
                    if (observed.thrown() != null) {
                        if (tally.threw(observed.thrown(), context + " (" + clip(mutant) + ")") && tally.crashInputs.size() < 5) {
                            tally.crashInputs.add(mutant);
                        }
                        if (isPermanent(observed.thrown())) {
                            // Thrown, Lambda retries it, and every retry fails the same way: a loop on hostile input.
                            totals.permanentErrors.incrementAndGet();
                            sample(totals.samples, context + " threw an error no retry can cure: "
                                    + String.valueOf(observed.thrown().getMessage()).lines().findFirst().orElse(""));
                            if (tally.crashInputs.size() < 5) {
                                tally.crashInputs.add(mutant);
                            }
                        }
                    } else {
                        tally.result(result);
                    }
                    List<CallSpy.Call> calls = observed.calls();
                    totals.calls.addAndGet(calls.size());
                    if (result != null && result.has("ignored")) {
                        totals.ignored.incrementAndGet();
                        if (!calls.isEmpty()) {
                            totals.callsWhenIgnored.incrementAndGet();
                            sample(totals.samples, context + " ignored the event (" + result.get("ignored").asText()
                                    + ") but made " + calls.size() + " calls: " + calls.get(0));
                        }
                    } else if (!calls.isEmpty()) {
                        totals.acted.incrementAndGet();
                    }
                    for (CallSpy.Call each : calls) {
                        if (each.isWrite()) {
                            totals.writes.incrementAndGet();
                            if (!isNamed(each.table(), named)) {
                                totals.unnamedWrites.incrementAndGet();
                                sample(totals.samples, context + " " + each.operation() + " on " + each.table() + " in "
                                        + each.region() + ", which the event does not name");
                            }
                        }
                    }
                }
            }
        } finally {
            runner.shutdownNow();
        }
    }

    /** What one invocation returned or threw, and the calls it made. */
    private record Observed(JsonNode result, Throwable thrown, List<CallSpy.Call> calls) {
    }

    /** A 400 ValidationException: the request itself is wrong (as the input made it), so no retry can succeed. */
    static boolean isPermanent(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws && aws.statusCode() == 400
                    && aws.awsErrorDetails() != null && "ValidationException".equals(aws.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> routed(FaultsWorld world, String event) {
        try {
            return world.routes.functionsFor(event);
        } catch (Exception | StackOverflowError e) {
            return Set.of();
        }
    }

    private static void sample(List<String> samples, String text) {
        if (samples.size() < 5) {
            samples.add(text);
        }
    }

    /** Every string in the event (decoded), and its raw text: whatever it names is in one of them. */
    private static Set<String> strings(String event) {
        Set<String> strings = new HashSet<>();
        strings.add(event);
        try {
            collectStrings(JSON.readTree(event), strings, 0);
        } catch (Exception | StackOverflowError e) {
            // not JSON, or too deep: the raw text is all there is
        }
        return strings;
    }

    private static void collectStrings(JsonNode node, Set<String> strings, int depth) {
        if (node == null || depth > 2_000) {
            return;
        }
        if (node.isTextual()) {
            strings.add(node.asText());
            if (node.asText().startsWith("{")) {
                try {
                    collectStrings(JSON.readTree(node.asText()), strings, depth + 1);
                } catch (Exception | StackOverflowError ignored) {
                    // a string that only looks like JSON
                }
            }
        }
        node.fieldNames().forEachRemaining(strings::add);
        node.elements().forEachRemaining(child -> collectStrings(child, strings, depth + 1));
    }

    /** Whether a table a write named (by name or ARN) is named anywhere in the event. */
    private static boolean isNamed(String written, Set<String> named) {
        if (written.isEmpty()) {
            return false;
        }
        String name = written;
        int table = written.indexOf(":table/");
        if (table >= 0) {
            name = written.substring(table + 7);
            int slash = name.indexOf('/');
            name = slash < 0 ? name : name.substring(0, slash);
        }
        String finalName = name;
        return named.stream().anyMatch(s -> s.contains(finalName));
    }

    private static JsonNode invoke(FaultsWorld world, RequestStreamHandler handler, String function, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new LocalContext(function, world.memoryMb(function), world.timeoutSeconds(function)));
        return JSON.readTree(out.toByteArray());
    }

    // ------------------------------------------------------------------------------------------ tug of war

    /**
     * A second writer turning deletion protection off after every fix, each time with a new UpdateTable
     * event: the breaker stops ddb-warden after FIX_LIMIT_PER_HOUR fixes and sends one CRITICAL alert.
     */
    Tally tugOfWar() throws Exception {
        int limit = 5;
        Tally tally = new Tally("tug of war: " + scale.tugRounds() + " rounds against a second writer, FIX_LIMIT_PER_HOUR=" + limit);
        long start = System.nanoTime();
        try (FaultsWorld world = FaultsWorld.create(moto, seed + 4, Map.of("FIX_LIMIT_PER_HOUR", String.valueOf(limit)))) {
            String table = "tug-of-war";
            world.estate.createTable(table, false);
            // The breaker counts per clock hour: run in the middle of one, so that the rounds never straddle two.
            Instant now = Instant.now();
            Clock midHour = Clock.offset(Clock.systemUTC(),
                    Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(30))));
            LambdaSim sim = new LambdaSim(world, tally, midHour, Sleeper.REAL, scale.firstRetryPause(), scale.secondRetryPause());
            String template = Corpus.rename(Project.event("update-table-protection-off.json"), "payments", table);
            Random random = new Random(seed);
            List<Corpus.Case> cases = new ArrayList<>();
            int fixes = 0;
            for (int round = 0; round < scale.tugRounds(); round++) {
                // The other side: protection off again, by a pipeline role, recorded as a new event.
                world.estate.dynamo().updateTable(r -> r.tableName(table).deletionProtectionEnabled(false));
                ObjectNode event = (ObjectNode) JSON.readTree(template);
                event.put("id", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
                ObjectNode detail = (ObjectNode) event.get("detail");
                detail.put("eventID", new java.util.UUID(random.nextLong(), random.nextLong()).toString());
                ObjectNode identity = (ObjectNode) detail.get("userIdentity");
                identity.put("arn", "arn:aws:sts::" + LocalAws.ACCOUNT + ":assumed-role/terraform-deployer/pipeline-" + round);
                ((ObjectNode) identity.path("sessionContext").path("sessionIssuer"))
                        .put("arn", "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/terraform-deployer");
                String text = event.toString();
                cases.add(new Corpus.Case(round, Corpus.KINDS.get(4), table, LocalAws.REGION, text));
                for (String function : Corpus.functionsFor(world, text)) {
                    sim.deliver(function, text);
                }
                if (Boolean.TRUE.equals(world.estate.describe(table).deletionProtectionEnabled())) {
                    fixes++;
                }
            }
            tally.events = cases.size();
            List<JsonNode> alerts = world.drainAlerts();
            long critical = alerts.stream().filter(a -> a.path("Subject").asText().startsWith("[CRITICAL]")).count();
            long tug = alerts.stream().filter(a -> (a.path("Subject").asText() + a.path("Message").asText())
                    .toLowerCase(java.util.Locale.ROOT).contains("tug of war")).count();
            tally.check(fixes == limit, "ddb-warden fixed the table " + fixes + " times, not " + limit + " (FIX_LIMIT_PER_HOUR)");
            tally.check(critical == 1 && tug == 1, critical + " CRITICAL alerts and " + tug
                    + " naming a tug of war, not one: the breaker " + (tug == 0 ? "never tripped" : "tripped more than once"));
            tally.note(fixes + " fixes, " + alerts.size() + " alerts (" + critical + " CRITICAL) over " + scale.tugRounds() + " rounds");
            countAlerts(world, tally, alerts);
            lostViolations(tally);
        }
        tally.millis = (System.nanoTime() - start) / 1_000_000;
        return tally;
    }

    // ------------------------------------------------------------------------------------------ shared steps

    private List<Corpus.Case> setUp(FaultsWorld world, List<Corpus.Case> cases) throws Exception {
        List<Corpus.Case> ready = new ArrayList<>();
        for (Corpus.Case c : cases) {
            Corpus.Case set = Corpus.setUp(world, c);
            // Each case stands for a call CloudTrail recorded: an approved decommission is confirmed by its record.
            world.trail.record(set.event());
            ready.add(set);
        }
        return ready;
    }

    /**
     * Delivers every case {@code copies} times to the functions its rules route it to. With two copies, a
     * {@code concurrentShare} of the cases get both at the same moment from two threads; the others get the
     * second copy after every first one. When {@code deadLetterShare} events should never reach their
     * function (the outage scenario), they go to the dead-letter queue instead.
     */
    private void deliverAll(FaultsWorld world, LambdaSim sim, Tally tally, List<Corpus.Case> cases, int copies,
                            double concurrentShare, AtomicInteger done) throws Exception {
        Random random = new Random(seed ^ cases.size());
        List<Corpus.Case> order = new ArrayList<>(cases);
        Collections.shuffle(order, random);
        List<Callable<Void>> first = new ArrayList<>();
        List<Callable<Void>> second = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Corpus.Case c = order.get(i);
            Set<String> functions = Corpus.functionsFor(world, c.event());
            if (done != null && i % 20 == 10 && !functions.isEmpty()) {
                // EventBridge could not invoke the function (throttled, say) and gave up: the rule's dead-letter queue has it.
                boolean withTarget = random.nextBoolean();
                first.add(() -> {
                    functions.forEach(f -> sim.sendToDeadLetterQueue(f, c.event(), withTarget));
                    done.incrementAndGet();
                    return null;
                });
                continue;
            }
            if (copies == 2 && random.nextDouble() < concurrentShare) {
                CyclicBarrier together = new CyclicBarrier(2);
                first.add(delivery(sim, functions, c, together, done));
                first.add(delivery(sim, functions, c, together, done));
            } else {
                first.add(delivery(sim, functions, c, null, done));
                if (copies == 2) {
                    second.add(delivery(sim, functions, c, null, done));
                }
            }
        }
        Collections.shuffle(second, random);
        ExecutorService pool = Executors.newFixedThreadPool(scale.threads(), daemon("lambda"));
        try {
            for (List<Callable<Void>> phase : List.of(first, second)) {
                List<Future<Void>> futures = new ArrayList<>();
                phase.forEach(task -> futures.add(pool.submit(task)));
                Instant deadline = Instant.now().plus(scale.deadline());
                for (Future<Void> future : futures) {
                    try {
                        future.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        tally.check(false, "deliveries did not finish within " + scale.deadline().toMinutes() + " min");
                        return;
                    } catch (java.util.concurrent.ExecutionException e) {
                        tally.crash(e.getCause(), "the delivery loop");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<Void> delivery(LambdaSim sim, Set<String> functions, Corpus.Case c, CyclicBarrier together,
                                           AtomicInteger done) {
        return () -> {
            if (together != null) {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (TimeoutException | BrokenBarrierException e) {
                    // the other copy is late: deliver anyway
                }
            }
            for (String function : functions) {
                sim.deliver(function, c.event());
            }
            if (done != null) {
                done.incrementAndGet();
            }
            return null;
        };
    }

    /**
     * Replays what is left in the dead-letter and failure queues, then holds every case to account: its
     * table as it must be, one alert per violation it had, nothing left in a queue.
     */
    private void finish(FaultsWorld world, Tally tally, List<Corpus.Case> cases) throws Exception {
        finish(world, tally, cases, false);
    }

    /**
     * @param lateRedelivery deliver every case once more afterwards, half an hour later, as EventBridge may
     *                       (at least once): an entry some fault left half-done must not alert again
     */
    private void finish(FaultsWorld world, Tally tally, List<Corpus.Case> cases, boolean lateRedelivery) throws Exception {
        world.skipped().forEach((function, why) -> tally.note("not exercised: " + function + " (" + why + ")"));
        Clock later = Clock.offset(Clock.systemUTC(), REPLAY_LATER);
        replayQueues(world, tally, later);
        // What the handlers answered before the late copies, which find every table as the first ones left it.
        Map<String, List<String>> settled = new HashMap<>();
        tally.outcomes.forEach((eventId, results) -> {
            synchronized (results) {
                settled.put(eventId, List.copyOf(results));
            }
        });
        if (lateRedelivery) {
            LambdaSim redelivery = new LambdaSim(world, tally, Clock.offset(Clock.systemUTC(), REPLAY_LATER.multipliedBy(2)),
                    Sleeper.REAL, scale.firstRetryPause(), scale.secondRetryPause());
            deliverAll(world, redelivery, tally, cases, 1, 0, null);
            replayQueues(world, tally, Clock.offset(Clock.systemUTC(), REPLAY_LATER.multipliedBy(3)));
            tally.note("every event delivered once more, 30 minutes later");
        }
        countAndCheck(world, tally, cases, settled);
    }

    private void replayQueues(FaultsWorld world, Tally tally, Clock later) throws Exception {
        for (String queue : List.of(world.deadLetterQueueUrl, world.failureQueueUrl)) {
            if (world.depth(queue) > 0) {
                ReplayFailures.Summary summary = world.replay(queue, later, tally, 3);
                tally.note("replay-failures on the " + (queue.equals(world.failureQueueUrl) ? "failure" : "dead-letter")
                        + " queue: " + summary.line());
            }
        }
    }

    private void countAndCheck(FaultsWorld world, Tally tally, List<Corpus.Case> cases, Map<String, List<String>> settled)
            throws Exception {
        for (String queue : List.of(world.deadLetterQueueUrl, world.failureQueueUrl)) {
            int left = world.depth(queue);
            if (left > 0) {
                tally.lost += left;
                tally.note(left + " messages still in " + queue + " after replay-failures");
            }
        }
        List<JsonNode> alerts = world.drainAlerts();
        Map<String, Integer> perKey = countAlerts(world, tally, alerts);
        if (cases.isEmpty()) {
            lostViolations(tally);
            return;
        }
        int expected = 0;
        int wrong = 0;
        int answeredByQuarantine = 0;
        Map<String, Integer> folds = new TreeMap<>();
        for (Corpus.Case c : cases) {
            boolean delivered = !Corpus.functionsFor(world, c.event()).isEmpty();
            Set<String> alertedRules = Corpus.alertedRules(c, perKey.keySet());
            AlertFold fold = c.kind().fold();
            if (fold != AlertFold.NONE && delivered) {
                // the fold's alerts are its keys' (a user-day; a table, source and hour for each private table a data
                // event names), whichever of a key's events drew them
                fold.count(c, perKey.keySet(), folds);
                alertedRules.remove(fold.rule());
            }
            Corpus.Expectation expectation = Corpus.expectation(c.kind(), alertedRules, settled.getOrDefault(c.eventId(), List.of()));
            int want = delivered ? expectation.alerts() : 0;
            if (delivered && want < c.kind().violations()) {
                answeredByQuarantine++;
            }
            expected += want;
            int got = alertedRules.size();
            Optional<String> end = Corpus.wrongEnd(world, c, expectation.protectedAtEnd());
            // An event is lost when any alert it called for never came, or its table is not as it must be.
            if (got < want || end.isPresent()) {
                tally.lost++;
            }
            if (got < want) {
                sample(tally, "no alert for " + c.kind().slug() + " " + c.table() + " (" + got + " of " + want + "), event "
                        + c.eventId() + "; the handlers returned " + tally.outcomes.getOrDefault(c.eventId(), List.of()));
            } else if (got > want) {
                tally.check(false, "an alert no violation called for: " + c.kind().slug() + " " + c.table());
            }
            if (end.isPresent()) {
                wrong++;
                sample(tally, "table not as it must be: " + end.get());
            }
        }
        AlertFold.Judged judged = AlertFold.judge(folds);
        expected += judged.due();
        tally.lost += judged.missing();
        tally.duplicates += judged.extra();
        folds.forEach((key, n) -> {
            if (n != 1) {
                sample(tally, n + " alerts for the events of " + key + " (one per key: AlertFold)");
            }
        });
        for (AlertFold fold : AlertFold.values()) {
            Map<String, Integer> its = new TreeMap<>(folds);
            its.keySet().removeIf(key -> fold == AlertFold.NONE || !key.startsWith(fold.rule() + " "));
            if (!its.isEmpty()) {
                tally.note(its.size() + " keys (" + fold.per() + ") of " + fold.rule() + "'s alerts, one due each: "
                        + AlertFold.judge(its));
            }
        }
        int reported = tally.violations.size();
        if (reported != expected) {
            tally.note("the handlers reported " + reported + " violations; the corpus has " + expected);
        }
        tally.violationsExpected = expected;
        if (answeredByQuarantine > 0) {
            tally.note(answeredByQuarantine + " tables quarantined before the deletion-protection run came: its alert and fix"
                    + " not due (Corpus.expectation)");
        }
        if (wrong > 0) {
            tally.note(wrong + " tables not as they must be");
        }
    }

    private static void sample(Tally tally, String text) {
        if (tally.notes.stream().filter(n -> n.startsWith("  ")).count() < 6) {
            tally.note("  " + text);
        }
    }

    /** Counts alerts per violation; every copy beyond the first is a duplicate. */
    private static Map<String, Integer> countAlerts(FaultsWorld world, Tally tally, List<JsonNode> alerts) {
        Map<String, Integer> perKey = new LinkedHashMap<>();
        for (JsonNode alert : alerts) {
            perKey.merge(Tally.alertKey(alert.path("Message").asText()), 1, Integer::sum);
        }
        tally.alerts = alerts.size();
        tally.duplicates = perKey.values().stream().mapToInt(n -> n - 1).sum();
        perKey.forEach((key, n) -> {
            if (n > 1) {
                sample(tally, n + " alerts for " + key);
            }
        });
        tally.alertKeys = perKey.keySet();
        return perKey;
    }

    /**
     * Where no corpus says what to expect: every violation a handler reported must have its alert. An
     * alert whose body lost its table ARN or event ID (a cut in the wrong place) counts as lost.
     */
    private static void lostViolations(Tally tally) {
        for (String key : tally.violations.keySet()) {
            if (!tally.alertKeys.contains(key)) {
                tally.lost++;
                sample(tally, "no alert for " + key + " (" + tally.violations.get(key) + ")");
            }
        }
        for (String key : tally.alertKeys) {
            if (!tally.violations.containsKey(key)) {
                tally.note("an alert no handler result reported: " + key);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    private static String clip(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
