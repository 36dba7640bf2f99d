using System.Globalization;
using System.Runtime.InteropServices;

namespace Seedream.FakeApi;

/// <summary>
/// Runs the fake as a process: <c>dotnet Seedream.FakeApi.dll [--port N] [--key K]... [--latency-ms N]
/// [--stream-delay-ms N] [--image-padding-bytes N] [--ignore-stdin]</c>. Prints one line
/// <c>Listening on http://127.0.0.1:PORT/</c>, then runs until stdin closes, SIGTERM/Ctrl+C,
/// or <c>POST /_control/shutdown</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        FakeServerOptions options;
        bool watchStdin;
        try
        {
            (options, watchStdin) = ParseArguments(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"Seedream.FakeApi: {ex.Message}");
            await Console.Error.WriteLineAsync("usage: Seedream.FakeApi [--port N] [--key K]... [--latency-ms N] [--stream-delay-ms N] [--image-padding-bytes N] [--ignore-stdin]");
            return 2;
        }

        await using var server = await FakeSeedreamServer.StartAsync(options);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = RegisterStopSignal(PosixSignal.SIGTERM, stop);
        using var sigint = RegisterStopSignal(PosixSignal.SIGINT, stop);
        if (watchStdin && !StdinIsDevNull())
        {
            var reader = new Thread(() =>
            {
                try
                {
                    using var input = Console.OpenStandardInput();
                    var buffer = new byte[256];
                    while (input.Read(buffer, 0, buffer.Length) > 0) { }
                }
                catch (IOException)
                {
                }
                stop.TrySetResult();
            }) { IsBackground = true, Name = "stdin-watch" };
            reader.Start();
        }

        Console.Out.WriteLine($"Listening on {server.Root}");
        Console.Out.Flush();

        await Task.WhenAny(stop.Task, server.ShutdownRequested);
        return 0;
    }

    private static PosixSignalRegistration? RegisterStopSignal(PosixSignal signal, TaskCompletionSource stop)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                stop.TrySetResult();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static (FakeServerOptions Options, bool WatchStdin) ParseArguments(string[] args)
    {
        var port = 0;
        var latency = 0;
        var streamDelay = 0;
        var padding = 0;
        var keys = new List<string>();
        var watchStdin = true;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{arg} needs a value.");
            int Number()
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new FormatException($"{arg} needs a non-negative integer, got '{text}'.");
            }
            switch (arg)
            {
                case "--port": port = Number(); break;
                case "--key": keys.Add(Value()); break;
                case "--latency-ms": latency = Number(); break;
                case "--stream-delay-ms": streamDelay = Number(); break;
                case "--image-padding-bytes": padding = Number(); break;
                case "--ignore-stdin": watchStdin = false; break;
                default: throw new FormatException($"unknown argument '{arg}'.");
            }
        }
        if (port > 65535) throw new FormatException("--port must be 0..65535.");
        var options = new FakeServerOptions
        {
            Port = port,
            LatencyMs = latency,
            StreamDelayMs = streamDelay,
            ImagePaddingBytes = padding,
            ApiKeys = keys.Count > 0 ? keys : ["test-key"],
        };
        return (options, watchStdin);
    }

    /// <summary>A process started with stdin on /dev/null would see end-of-input at once; don't treat that as "stop".</summary>
    private static bool StdinIsDevNull()
    {
        try
        {
            return OperatingSystem.IsLinux()
                   && new FileInfo("/proc/self/fd/0").LinkTarget == "/dev/null";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
