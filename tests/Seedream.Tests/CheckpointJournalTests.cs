using System.Collections;
using System.Text;
using Seedream.Api;
using Seedream.Checkpoint;

namespace Seedream.Tests;

/// <summary>The -CheckpointPath journal: what it keeps, how it survives a kill mid-write, other versions, and request identities.</summary>
public sealed class CheckpointJournalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedream-journal-" + Guid.NewGuid().ToString("N"));

    private string JournalPath => Path.Combine(_folder, "run.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static CheckpointRequest Answered(string id, params int[] indexes)
    {
        var request = new CheckpointRequest { Id = id, At = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), Model = "seedream-5-0-260128", Prompt = "a fox", Billed = indexes.Length };
        foreach (int index in indexes)
        {
            request.Images.Add(new CheckpointImage
            {
                Index = index, Url = $"https://cdn.example/{id}/{index}.jpg", Created = request.At,
                ExpiresAt = request.At.AddHours(24), Size = "2048x2048", Width = 2048, Height = 2048, OutputFormat = "jpeg", Cost = 0.035m,
            });
        }

        return request;
    }

    [Fact]
    public void What_is_recorded_is_read_back_by_a_new_journal_with_every_field()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        CheckpointRequest request = Answered("abc", 0, 2);
        request.Failed.Add(new KeyValuePair<int, string>(1, "OutputImageSensitiveContentDetected"));
        journal.RecordRequest(request);
        journal.RecordFile(new CheckpointFile { Key = "abc:0", File = Path.Combine(_folder, "out", "a.jpg"), Length = 12, At = request.At });

        var again = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.Empty(again.Warnings);
        Assert.Equal(2, again.EntriesRead);
        CheckpointRequest read = again.FindRequest("abc")!;
        Assert.Equal(new[] { 0, 2 }, read.Images.Select(i => i.Index));
        Assert.Equal("https://cdn.example/abc/2.jpg", read.Images[1].Url);
        Assert.Equal(request.At.AddHours(24), read.Images[1].ExpiresAt);
        Assert.Equal(0.035m, read.Images[1].Cost);
        Assert.Equal(2048, read.Images[0].Width);
        Assert.Equal(2, read.Billed);
        Assert.Equal("OutputImageSensitiveContentDetected", Assert.Single(read.Failed).Value);
        Assert.Equal(Path.Combine(_folder, "out", "a.jpg"), again.FindFile("abc:0")!.File);
        Assert.Null(again.FindRequest("other"));
    }

    [Fact]
    public void A_file_under_the_journal_folder_is_stored_relative_so_no_machine_path_is_kept()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        journal.RecordFile(new CheckpointFile { Key = "k:0", File = Path.Combine(_folder, "out", "a.jpg"), Length = 1 });
        string text = File.ReadAllText(JournalPath);
        Assert.Contains("\"file\":\"out/a.jpg\"", text);
        Assert.DoesNotContain(_folder, text);
    }

    [Fact]
    public void Each_entry_is_one_line_on_disk_as_soon_as_it_is_recorded()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        journal.RecordRequest(Answered("one", 0));
        Assert.Single(File.ReadAllLines(JournalPath));
        journal.RecordRequest(Answered("two", 0));
        string[] lines = File.ReadAllLines(JournalPath);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("{\"v\":1,\"module\":\"1.0.0\",", line));
        Assert.EndsWith("\n", File.ReadAllText(JournalPath));
    }

    [Fact]
    public void A_last_line_cut_short_by_a_kill_is_skipped_with_a_warning_and_the_rest_kept()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        journal.RecordRequest(Answered("kept", 0));
        journal.RecordRequest(Answered("cut", 0));
        byte[] bytes = File.ReadAllBytes(JournalPath);
        File.WriteAllBytes(JournalPath, bytes.Take(bytes.Length - 40).ToArray()); // the second line loses its end

        var again = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.NotNull(again.FindRequest("kept"));
        Assert.Null(again.FindRequest("cut"));
        Assert.Contains("last line", Assert.Single(again.Warnings));

        // The next entry starts on a line of its own, so it is not glued to the damaged one.
        again.RecordRequest(Answered("after", 1));
        var third = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.NotNull(third.FindRequest("kept"));
        Assert.NotNull(third.FindRequest("after"));
        Assert.Contains("Line 2", Assert.Single(third.Warnings));
    }

    [Fact]
    public void Lines_of_another_format_or_module_version_are_handled_without_losing_the_rest()
    {
        Directory.CreateDirectory(_folder);
        var older = CheckpointJournal.Open(JournalPath, "0.9.0");
        older.RecordRequest(Answered("old", 0));
        File.AppendAllText(JournalPath, "{\"v\":2,\"module\":\"9.0.0\",\"type\":\"request\",\"id\":\"future\"}\n", new UTF8Encoding(false));

        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.NotNull(journal.FindRequest("old"));
        Assert.Null(journal.FindRequest("future"));
        Assert.Equal(2, journal.Warnings.Count);
        Assert.Contains(journal.Warnings, w => w.Contains("line format other than 1"));
        Assert.Contains(journal.Warnings, w => w.Contains("0.9.0"));
    }

    [Fact]
    public void The_latest_entry_for_a_request_wins()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        journal.RecordRequest(Answered("same", 0));
        journal.RecordRequest(Answered("same", 0, 1));
        Assert.Equal(2, CheckpointJournal.Open(JournalPath, "1.0.0").FindRequest("same")!.Images.Count);
    }

    [Fact]
    public void Two_journals_on_one_file_in_one_process_append_whole_lines()
    {
        var a = CheckpointJournal.Open(JournalPath, "1.0.0");
        var b = CheckpointJournal.Open(JournalPath, "1.0.0");
        Parallel.For(0, 40, i =>
        {
            if (i % 2 == 0) a.RecordRequest(Answered("r" + i, 0));
            else b.RecordFile(new CheckpointFile { Key = "k" + i, File = Path.Combine(_folder, "f" + i), Length = i });
        });

        var read = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.Empty(read.Warnings);
        Assert.Equal(40, read.EntriesRead);
    }

    [Fact]
    public void No_file_is_an_empty_journal_and_none_is_created_until_an_entry()
    {
        var journal = CheckpointJournal.Open(JournalPath, "1.0.0");
        Assert.Equal(0, journal.EntriesRead);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void A_hosted_url_counts_as_alive_until_a_minute_before_it_expires()
    {
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.True(new CheckpointImage { Url = "https://x/1", ExpiresAt = now.AddMinutes(2) }.UrlAlive(now));
        Assert.False(new CheckpointImage { Url = "https://x/1", ExpiresAt = now.AddSeconds(30) }.UrlAlive(now));
        Assert.False(new CheckpointImage { Url = null }.UrlAlive(now));
    }

    [Fact]
    public void Image_keys_prefer_the_request_identity_then_the_url_then_the_bytes()
    {
        Assert.Equal("abc:3", CheckpointJournal.ImageKey("abc", 3, "https://x", null));
        Assert.StartsWith("url:", CheckpointJournal.ImageKey(null, 0, "https://x", null));
        Assert.Equal("bytes:4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a", CheckpointJournal.ImageKey(null, 0, null, Seedream.Api.ImagePayload.FromArray(new byte[] { 1 })));
    }

    private static GenerationRequest Request(string prompt = "a fox") => new()
    {
        Model = "seedream-5-0-260128", Prompt = prompt, Size = "2K", MaxImages = 3, OutputFormat = "png",
        AdditionalBody = new Dictionary<string, object?> { ["b"] = 1, ["a"] = new Hashtable { ["y"] = "2", ["x"] = true } },
    };

    private static readonly SeedreamReference[] FileReference = { new() { Kind = SeedreamReferenceKind.File, Name = "a.png", Sha256 = new string('1', 64) } };

    [Fact]
    public void The_same_request_has_the_same_identity_whatever_the_order_of_additional_fields_or_the_stream_switch()
    {
        GenerationRequest first = Request();
        GenerationRequest second = Request();
        second.AdditionalBody = new Dictionary<string, object?> { ["a"] = new Hashtable { ["x"] = true, ["y"] = "2" }, ["b"] = 1 };
        second.Stream = true;
        Assert.Equal(RequestIdentity.Of(first, "APIYI", FileReference), RequestIdentity.Of(second, "APIYI", FileReference));
        Assert.Matches("^[0-9a-f]{64}$", RequestIdentity.Of(first, "APIYI", FileReference));
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("model")]
    [InlineData("size")]
    [InlineData("maxImages")]
    [InlineData("outputFormat")]
    [InlineData("responseFormat")]
    [InlineData("watermark")]
    [InlineData("provider")]
    [InlineData("reference")]
    [InlineData("additional")]
    public void Any_change_that_changes_what_is_generated_changes_the_identity(string what)
    {
        GenerationRequest request = Request();
        string provider = "APIYI";
        SeedreamReference[] references = FileReference;
        switch (what)
        {
            case "prompt": request.Prompt = "a wolf"; break;
            case "model": request.Model = "seedream-4-0-250828"; break;
            case "size": request.Size = "3K"; break;
            case "maxImages": request.MaxImages = 4; break;
            case "outputFormat": request.OutputFormat = "jpeg"; break;
            case "responseFormat": request.ResponseFormat = ResponseFormats.Base64Json; break;
            case "watermark": request.Watermark = true; break;
            case "provider": provider = "BytePlus"; break;
            case "reference": references = new[] { new SeedreamReference { Kind = SeedreamReferenceKind.File, Name = "a.png", Sha256 = new string('2', 64) } }; break;
            case "additional": request.AdditionalBody = new Dictionary<string, object?> { ["b"] = 2 }; break;
        }

        Assert.NotEqual(RequestIdentity.Of(Request(), "APIYI", FileReference), RequestIdentity.Of(request, provider, references));
    }

    [Fact]
    public void A_file_reference_is_known_by_its_content_not_its_name()
    {
        var renamed = new[] { new SeedreamReference { Kind = SeedreamReferenceKind.File, Name = "other-name.png", Sha256 = new string('1', 64) } };
        Assert.Equal(RequestIdentity.Of(Request(), "APIYI", FileReference), RequestIdentity.Of(Request(), "APIYI", renamed));
    }
}
