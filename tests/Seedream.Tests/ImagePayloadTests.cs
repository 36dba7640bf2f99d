using System.Text;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>
/// An inline image kept as the decoder's pieces: written, read, hashed and joined, it is byte for byte the decoded image
/// whatever its length and wherever a piece ends; joined once, it is the same array after.
/// </summary>
public class ImagePayloadTests
{
    // 65,535 bytes fill one decoding piece exactly; the others end inside one.
    public static TheoryData<int> Lengths => new() { 0, 1, 65_534, 65_535, 65_536, 196_605, 200_000 };

    private static (byte[] Original, ImagePayload Payload) Decoded(int length)
    {
        var original = new byte[length];
        new Random(length).NextBytes(original);
        var decoder = new Base64StreamDecoder();
        decoder.Append(Encoding.ASCII.GetBytes(Convert.ToBase64String(original)));
        return (original, decoder.Finish());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task Written_to_a_stream_it_is_the_decoded_image(int length)
    {
        var (original, payload) = Decoded(length);
        using var written = new MemoryStream();
        await payload.WriteToAsync(written, CancellationToken.None);
        Assert.Equal(length, payload.Length);
        Assert.Equal(original, written.ToArray());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Read_in_reads_of_any_size_it_is_the_decoded_image(int length)
    {
        var (original, payload) = Decoded(length);
        var random = new Random(7);
        foreach (int most in new[] { 1, 1000, 65_535, 70_000, 1 << 20 })
        {
            using Stream stream = payload.OpenRead();
            using var read = new MemoryStream();
            var buffer = new byte[most];
            int got;
            while ((got = stream.Read(buffer, 0, random.Next(1, most + 1))) > 0)
            {
                read.Write(buffer, 0, got);
            }

            Assert.Equal(original, read.ToArray());
            Assert.Equal(length, stream.Position);
        }
    }

    [Fact]
    public void A_seek_lands_on_the_byte_asked_for_across_pieces()
    {
        var (original, payload) = Decoded(200_000);
        using Stream stream = payload.OpenRead();
        var one = new byte[3];
        foreach (long at in new long[] { 0, 65_534, 65_535, 131_070, 199_997 })
        {
            Assert.Equal(at, stream.Seek(at, SeekOrigin.Begin));
            Assert.Equal(3, stream.Read(one, 0, 3));
            Assert.Equal(original.AsSpan((int)at, 3).ToArray(), one);
        }

        Assert.Equal(199_999, stream.Seek(-1, SeekOrigin.End));
        Assert.Equal(1, stream.Read(one, 0, 3));
        Assert.Equal(original[^1], one[0]);
        Assert.Equal(0, stream.Read(one, 0, 3));
        Assert.Throws<NotSupportedException>(() => stream.Write(one, 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1);
        Assert.Equal(65_535, stream.Seek(65_535, SeekOrigin.Begin));
        Assert.Equal(65_530, stream.Seek(-5, SeekOrigin.Current));
        Assert.Equal(65_540, stream.Seek(10, SeekOrigin.Current));
        Assert.True(stream.CanRead);
        Assert.True(stream.CanSeek);
        Assert.False(stream.CanWrite);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task Joined_it_is_the_decoded_image_and_the_same_array_from_then_on(int length)
    {
        var (original, payload) = Decoded(length);
        byte[] joined = payload.ToArray();
        Assert.Equal(original, joined);
        Assert.Same(joined, payload.ToArray());

        // What is read or written after the join is still the image.
        using var written = new MemoryStream();
        await payload.WriteToAsync(written, CancellationToken.None);
        Assert.Equal(original, written.ToArray());
        using Stream stream = payload.OpenRead();
        Assert.Equal(length, stream.Length);
    }

    [Fact]
    public void An_array_is_wrapped_as_it_is()
    {
        byte[] bytes = { 1, 2, 3 };
        Assert.Same(bytes, ImagePayload.FromArray(bytes).ToArray());
        Assert.Throws<ArgumentNullException>(() => ImagePayload.FromArray(null!));
    }

    [Fact]
    public void The_checkpoint_key_of_an_image_in_pieces_is_that_of_its_bytes()
    {
        var (original, payload) = Decoded(200_000);
        Assert.Equal(Checkpoint.CheckpointJournal.ImageKey(null, 0, null, ImagePayload.FromArray(original)),
            Checkpoint.CheckpointJournal.ImageKey(null, 0, null, payload));
        Assert.Equal("bytes:" + Imaging.Sha256Hash.Hex(original), Checkpoint.CheckpointJournal.ImageKey(null, 0, null, payload));
    }
}
