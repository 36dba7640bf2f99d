using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Seedream.DesktopTests
{
    /// <summary>
    /// The project's fake Seedream API as a separate process (it runs on .NET; the tests on Mono), one per test class,
    /// on a free loopback port. Faults and settings go to its /_control routes as JSON, as the Pester helpers send them.
    /// </summary>
    public sealed class FakeApi : IDisposable
    {
        public const string Key = "sk-desktop-tests-key";

        private readonly Process _process;

        public FakeApi()
        {
            string dll = Environment.GetEnvironmentVariable("SEEDREAM_DESKTOP_FAKEAPI") ??
                         System.IO.Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "..", "fakeapi", "Seedream.FakeApi.dll");
            string dotnet = Environment.GetEnvironmentVariable("SEEDREAM_DESKTOP_DOTNET") ?? "dotnet";
            var start = new ProcessStartInfo(dotnet, $"\"{dll}\" --port 0 --key {Key}")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardInput = true, // the fake stops when this closes, so it never outlives the tests
            };
            _process = Process.Start(start)!;
            Task<string> line = _process.StandardOutput.ReadLineAsync();
            const string prefix = "Listening on ";
            if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is null || !line.Result.StartsWith(prefix, StringComparison.Ordinal))
            {
                Kill();
                throw new InvalidOperationException($"The fake API did not start ({dll}).");
            }

            Root = new Uri(line.Result.Substring(prefix.Length).Trim());
            Control = new HttpClient(new HttpClientHandler { UseProxy = false }) { BaseAddress = new Uri(Root, "_control/"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public Uri Root { get; }

        public Uri ApiV1 => new Uri(Root, "v1");

        private HttpClient Control { get; }

        /// <summary>Queues fault rules, written as the fake's JSON (see tests/Seedream.FakeApi/FaultRule.cs).</summary>
        public void AddFaults(string json) => Post("faults", json);

        public void UpdateSettings(string json) => Post("settings", json);

        public void Reset() => Post("reset", "{}");

        public void Release() => Post("release", "{}");

        /// <summary>The requests received, oldest first, as the fake's JSON array.</summary>
        public JsonElement[] Requests(string? target = null)
        {
            string text = Control.GetStringAsync("requests").GetAwaiter().GetResult();
            using JsonDocument document = JsonDocument.Parse(text);
            var all = new System.Collections.Generic.List<JsonElement>();
            foreach (JsonElement request in document.RootElement.EnumerateArray())
            {
                if (target is null || request.GetProperty("target").GetString() == target)
                {
                    all.Add(request.Clone());
                }
            }

            return all.ToArray();
        }

        public void Dispose()
        {
            try
            {
                Post("shutdown", "{}");
            }
            catch (Exception)
            {
                // Already gone: closing its input below ends it too.
            }

            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            if (!_process.WaitForExit(10000))
            {
                Kill();
            }

            _process.Dispose();
            Control.Dispose();
        }

        private void Post(string route, string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = Control.PostAsync(route, content).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /_control/{route} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
            }
        }

        private void Kill()
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
