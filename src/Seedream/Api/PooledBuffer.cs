using System;
using System.Buffers;

namespace Seedream.Api
{
    /// <summary>
    /// A growable byte buffer whose arrays are rented from the shared pool and given back when it grows or is
    /// disposed, so multi-megabyte stream events do not leave large garbage arrays behind each time.
    /// </summary>
    internal sealed class PooledBuffer : IDisposable
    {
        private byte[] _array = System.Array.Empty<byte>();

        public int Length { get; private set; }

        /// <summary>The underlying array; only the first <see cref="Length"/> bytes are data.</summary>
        public byte[] Array => _array;

        public void Append(byte[] source, int offset, int count)
        {
            EnsureCapacity(Length + count);
            Buffer.BlockCopy(source, offset, _array, Length, count);
            Length += count;
        }

        public void Append(byte value)
        {
            EnsureCapacity(Length + 1);
            _array[Length++] = value;
        }

        public void Clear() => Length = 0;

        public void Shorten(int count) => Length = Math.Max(0, Length - count);

        public ReadOnlyMemory<byte> Slice(int start) => new ReadOnlyMemory<byte>(_array, start, Length - start);

        public void Dispose()
        {
            Release();
            Length = 0;
        }

        private void EnsureCapacity(int needed)
        {
            if (needed <= _array.Length)
            {
                return;
            }

            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, _array.Length * 2)));
            Buffer.BlockCopy(_array, 0, bigger, 0, Length);
            Release();
            _array = bigger;
        }

        private void Release()
        {
            if (_array.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_array);
                _array = System.Array.Empty<byte>();
            }
        }
    }
}
