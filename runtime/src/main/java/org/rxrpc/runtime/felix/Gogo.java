package org.rxrpc.runtime.felix;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The Apache Felix Gogo shell in the runtime: its bundles are installed on demand from their own folder
 * (never with the default set), and command lines run through its CommandProcessor service, called by
 * reflection through the classes of the Gogo bundle (its API is not on the launcher's class path).
 */
final class Gogo {
    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SESSION = "org.apache.felix.service.command.CommandSession";
    static final String CONSOLE_JAR = "org.apache.felix.gogo.shell.jar";
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Gogo() {}

    /** Installs and starts the Gogo bundles of the folder; the console only if asked. */
    static void install(BundleContext context, Path folder, boolean console) throws FelixLauncher.LaunchException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> console || !p.getFileName().toString().equals(CONSOLE_JAR))
                    .sorted() // command, runtime, shell: the console last
                    .forEach(jars::add);
        } catch (IOException e) {
            throw new FelixLauncher.LaunchException("no Gogo shell bundles in " + folder + ": " + e.getMessage());
        }
        if (jars.isEmpty()) throw new FelixLauncher.LaunchException("no Gogo shell bundles in " + folder);
        List<Bundle> installed = new ArrayList<>();
        try {
            for (Path jar : jars)
                installed.add(context.installBundle(jar.toUri().toString()));
            for (Bundle b : installed) b.start();
        } catch (BundleException e) {
            throw new FelixLauncher.LaunchException("cannot start the Gogo shell: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the command lines in one session, printing each result (as Gogo formats it) to {@code out}.
     *
     * @return 0 if every one succeeded, 1 after the first that failed (its error on {@code err})
     */
    static int execute(BundleContext context, List<String> commands, PrintStream out, PrintStream err)
            throws FelixLauncher.LaunchException {
        ServiceReference<?> ref = awaitProcessor(context);
        Object processor = context.getService(ref);
        try {
            Bundle gogo = ref.getBundle();
            Class<?> processorType = gogo.loadClass(PROCESSOR);
            Class<?> sessionType = gogo.loadClass(SESSION);
            Method create = processorType.getMethod(
                    "createSession", java.io.InputStream.class, java.io.OutputStream.class, java.io.OutputStream.class);
            Method execute = sessionType.getMethod("execute", CharSequence.class);
            Method format = sessionType.getMethod("format", Object.class, int.class);
            Method close = sessionType.getMethod("close");
            Object session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), out, err);
            try {
                for (String command : commands) {
                    Object result;
                    try {
                        result = execute.invoke(session, command);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        err.println("exec: " + command + ": "
                                + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
                        return 1;
                    }
                    if (result != null) {
                        CharSequence text = (CharSequence) format.invoke(session, result, 0); // Converter.INSPECT
                        String s = text.toString();
                        out.print(s.endsWith("\n") ? s : s + "\n");
                    }
                    out.flush();
                }
            } finally {
                close.invoke(session);
            }
            return 0;
        } catch (ReflectiveOperationException e) {
            throw new FelixLauncher.LaunchException("cannot use the Gogo shell: " + e, e);
        } finally {
            context.ungetService(ref);
        }
    }

    private static ServiceReference<?> awaitProcessor(BundleContext context) throws FelixLauncher.LaunchException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            ServiceReference<?> ref = Services.first(context, PROCESSOR);
            if (ref != null) return ref;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new FelixLauncher.LaunchException("the Gogo shell did not start (no " + PROCESSOR + " service)");
    }
}
