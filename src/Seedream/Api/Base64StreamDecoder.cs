using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;

namespace Seedream.Api
{
    /// <summary>
    /// Decodes base64 that arrives in pieces of any length into 64 KB chunks, and hands the chunks over at the end as
    /// the image's <see cref="ImagePayload"/>: neither the base64 text nor a second copy of the bytes is ever gathered.
    /// Invalid base64 raises <see cref="FormatException"/> (the rules of <see cref="Convert.FromBase64String(string)"/>:
    /// padded, no whitespace).
    /// </summary>
    internal sealed class Base64StreamDecoder
    {
        private const int ChunkSize = 64 * 1024;

        /// <summary>The part of each chunk used: whole 3-byte groups, so a decoded group never straddles two chunks.</summary>
        private const int ChunkCapacity = ChunkSize / 3 * 3;

        private readonly List<byte[]> _full = new List<byte[]>();
        private readonly byte[] _pending = new byte[8];
        private int _pendingLength;
        private byte[]? _current;
        private int _currentLength;
        private long _total;

        /// <summary>Adds base64 text. The last group is held back until <see cref="Finish"/>, as it may hold padding.</summary>
        public void Append(ReadOnlySpan<byte> base64)
        {
            while (_pendingLength > 0 && !base64.IsEmpty)
            {
                _pending[_pendingLength++] = base64[0];
                base64 = base64.Slice(1);
                if (_pendingLength == _pending.Length)
                {
                    DecodeGroups(new ReadOnlySpan<byte>(_pending, 0, 4));
                    Buffer.BlockCopy(_pending, 4, _pending, 0, 4);
                    _pendingLength = 4;
                }

                if (_pendingLength == 4 && !base64.IsEmpty)
                {
                    DecodeGroups(new ReadOnlySpan<byte>(_pending, 0, 4));
                    _pendingLength = 0;
                }
            }

            if (base64.IsEmpty)
            {
                return;
            }

            // Whole groups, keeping the last four to seven bytes back.
            int whole = base64.Length >= 8 ? (base64.Length - 4) / 4 * 4 : 0;
            if (whole > 0)
            {
                DecodeGroups(base64.Slice(0, whole));
                base64 = base64.Slice(whole);
            }

            base64.CopyTo(_pending);
            _pendingLength = base64.Length;
        }

        /// <summary>Decodes the held-back end and returns the bytes in the chunks they were decoded into (not copied).</summary>
        public ImagePayload Finish()
        {
            if (_pendingLength % 4 != 0)
            {
                throw new FormatException("The b64_json value is not valid base64: its length is not a multiple of 4.");
            }

            Decode(new ReadOnlySpan<byte>(_pending, 0, _pendingLength), isFinalBlock: true);
            _pendingLength = 0;
            if (_current != null)
            {
                _full.Add(_current);
                _current = null;
            }

            var payload = new ImagePayload(_full.ToArray(), ChunkCapacity, _total);
            _full.Clear();
            return payload;
        }

        private void DecodeGroups(ReadOnlySpan<byte> groups) => Decode(groups, isFinalBlock: false);

        private void Decode(ReadOnlySpan<byte> base64, bool isFinalBlock)
        {
            while (true)
            {
                if (_current is null || _currentLength == ChunkCapacity)
                {
                    if (_current != null)
                    {
                        _full.Add(_current);
                    }

                    _current = new byte[ChunkSize];
                    _currentLength = 0;
                }

                Span<byte> free = new Span<byte>(_current, _currentLength, ChunkCapacity - _currentLength);
                OperationStatus status = Base64.DecodeFromUtf8(base64, free, out int consumed, out int written, isFinalBlock);
                _currentLength += written;
                _total += written;
                base64 = base64.Slice(consumed);
                switch (status)
                {
                    case OperationStatus.Done when base64.IsEmpty:
                        return;
                    case OperationStatus.NeedMoreData when !isFinalBlock && base64.IsEmpty:
                        // Whole groups, all decoded. The System.Memory that Windows PowerShell loads (the netstandard2.0
                        // build the module ships) answers NeedMoreData here where .NET answers Done: both mean "go on".
                        return;
                    case OperationStatus.DestinationTooSmall when _currentLength == ChunkCapacity:
                        continue;
                    default:
                        throw new FormatException("The b64_json value is not valid base64.");
                }
            }
        }
    }
}
