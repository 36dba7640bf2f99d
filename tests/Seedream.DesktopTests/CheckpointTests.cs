using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Seedream.Api;
using Seedream.Checkpoint;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>The -CheckpointPath journal on the desktop runtime: its writes, a cut-off last line, and identities (FIPS-safe SHA-256), under a non-English culture.</summary>
    public sealed class CheckpointTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedream-desktop-journal-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, true);
            }
        }

        [Fact]
        public void A_journal_round_trips_under_a_comma_decimal_culture_and_survives_a_cut_last_line()
        {
            CultureInfo before = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                string path = Path.Combine(_folder, "run.jsonl");
                CheckpointJournal journal = CheckpointJournal.Open(path, "1.0.0");
                var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1));
                foreach (string id in new[] { "kept", "cut" })
                {
                    var request = new CheckpointRequest { Id = id, At = at, Prompt = "ein Fuchs", Billed = 1 };
                    request.Images.Add(new CheckpointImage { Index = 0, Url = "https://cdn.example/" + id, Created = at, ExpiresAt = at.AddHours(24), Cost = 0.035m, Width = 2048, Height = 2048 });
                    journal.RecordRequest(request);
                }

                Assert.Contains("\"cost\":0.035", File.ReadAllText(path));
                byte[] bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes.Take(bytes.Length - 25).ToArray());

                CheckpointJournal again = CheckpointJournal.Open(path, "1.0.0");
                CheckpointRequest? kept = again.FindRequest("kept");
                Assert.NotNull(kept);
                Assert.Equal(0.035m, kept!.Images[0].Cost);
                Assert.Equal(at.AddHours(24), kept.Images[0].ExpiresAt);
                Assert.Null(again.FindRequest("cut"));
                Assert.Single(again.Warnings);
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }

        [Fact]
        public void A_request_identity_is_the_same_on_this_runtime_as_its_canonical_form_says()
        {
            var request = new GenerationRequest
            {
                Model = "seedream-5-0-260128",
                Prompt = "a fox",
                AdditionalBody = new Dictionary<string, object?> { { "b", 1.5 }, { "a", "x" } },
            };
            var references = new[] { new SeedreamReference { Kind = SeedreamReferenceKind.Url, Url = "https://img.example/a.png" } };
            string identity = RequestIdentity.Of(request, "APIYI", references);
            Assert.Matches("^[0-9a-f]{64}$", identity);
            request.AdditionalBody = new Dictionary<string, object?> { { "a", "x" }, { "b", 1.5 } };
            Assert.Equal(identity, RequestIdentity.Of(request, "APIYI", references));
        }
    }
}
