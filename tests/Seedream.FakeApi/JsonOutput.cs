using System.Text.Encodings.Web;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Writer options shared by every JSON answer: no needless escaping of '&amp;', '`', '+', etc.</summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
