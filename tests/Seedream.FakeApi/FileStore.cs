using System.Collections.Concurrent;

namespace Seedream.FakeApi;

/// <summary>An image served under <c>/files/{id}.{ext}</c>.</summary>
internal sealed record StoredFile(string Id, ImageFormat Format, byte[] Bytes);

/// <summary>Generated images kept in memory by id (the bytes are shared with the image cache).</summary>
internal sealed class FileStore
{
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    public StoredFile Add(ImageFormat format, byte[] bytes)
    {
        var file = new StoredFile(Guid.NewGuid().ToString("N"), format, bytes);
        _files[file.Id] = file;
        return file;
    }

    public StoredFile? Find(string id) => _files.GetValueOrDefault(id);
}
