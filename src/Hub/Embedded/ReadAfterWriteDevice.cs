using Tsavorite.core;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>A Tsavorite storage device that delays a read of a byte range until every write to that range that was still
/// in flight when the read was issued has completed; everything else is passed to the wrapped device as it is.</summary>
/// <remarks>Why: Tsavorite's object allocator (Garnet 2.2.x, <c>ObjectAllocatorImpl.WriteAsync</c>) flushes a page in
/// fragments when the read-only address moves inside it, and a fragment that starts mid-sector first reads that sector
/// back (<c>"Partial-sector flush read-back"</c>) without waiting for the previous fragment's write of the same sector.
/// On the managed <c>RandomAccess</c> device (write-through, unbuffered) that read can land before the write: it comes
/// back short (an <see cref="EndOfStreamException"/> that fails the flush) or with the sector's old bytes, which the
/// new fragment then writes back over the records the earlier write put there. Reads that overlap no in-flight write
/// (record reads, recovery) are issued at once, on the caller's thread, as before.</remarks>
internal sealed class ReadAfterWriteDevice : IDevice
{
    private readonly IDevice _inner;
    private readonly Lock _gate = new();
    private readonly List<InFlightWrite> _writes = [];

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns it and disposes it.</summary>
    public ReadAfterWriteDevice(IDevice inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Writes issued through this wrapper whose completion callback has not run yet.</summary>
    internal int InFlightWrites
    {
        get
        {
            lock (_gate)
            {
                return _writes.Count;
            }
        }
    }

    /// <inheritdoc/>
    public uint SectorSize => _inner.SectorSize;

    /// <inheritdoc/>
    public string FileName => _inner.FileName;

    /// <inheritdoc/>
    public long Capacity => _inner.Capacity;

    /// <inheritdoc/>
    public long SegmentSize => _inner.SegmentSize;

    /// <inheritdoc/>
    public int StartSegment => _inner.StartSegment;

    /// <inheritdoc/>
    public int EndSegment => _inner.EndSegment;

    /// <inheritdoc/>
    public int ThrottleLimit
    {
        get => _inner.ThrottleLimit;
        set => _inner.ThrottleLimit = value;
    }

    /// <inheritdoc/>
    public void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false) =>
        _inner.Initialize(segmentSize, epoch!, omitSegmentIdFromFilename);

    /// <inheritdoc/>
    public bool TryComplete() => _inner.TryComplete();

    /// <inheritdoc/>
    public bool TryCompleteMine() => _inner.TryCompleteMine();

    /// <inheritdoc/>
    public bool Throttle() => _inner.Throttle();

    /// <inheritdoc/>
    public void WriteAsync(nint sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        var write = Begin(segmentId, destinationAddress, numBytesToWrite, callback, context);
        _inner.WriteAsync(sourceAddress, segmentId, destinationAddress, numBytesToWrite, OnWritten, write);
    }

    /// <inheritdoc/>
    public void WriteAsync(nint alignedSourceAddress, ulong alignedDestinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        var (segment, offset) = Split(alignedDestinationAddress);
        var write = Begin(segment, offset, numBytesToWrite, callback, context);
        _inner.WriteAsync(alignedSourceAddress, alignedDestinationAddress, numBytesToWrite, OnWritten, write);
    }

    /// <inheritdoc/>
    public void ReadAsync(int segmentId, ulong sourceAddress, nint destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context) =>
        AfterOverlappingWrites(segmentId, sourceAddress, readLength, () => _inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, callback, context));

    /// <inheritdoc/>
    public void ReadAsync(ulong alignedSourceAddress, nint alignedDestinationAddress, uint aligned_read_length, DeviceIOCompletionCallback callback, object context)
    {
        var (segment, offset) = Split(alignedSourceAddress);
        AfterOverlappingWrites(segment, offset, aligned_read_length, () => _inner.ReadAsync(alignedSourceAddress, alignedDestinationAddress, aligned_read_length, callback, context));
    }

    /// <inheritdoc/>
    public void TruncateUntilAddressAsync(long toAddress, AsyncCallback callback, IAsyncResult result) => _inner.TruncateUntilAddressAsync(toAddress, callback, result);

    /// <inheritdoc/>
    public void TruncateUntilAddress(long toAddress) => _inner.TruncateUntilAddress(toAddress);

    /// <inheritdoc/>
    public void TruncateUntilSegmentAsync(int toSegment, AsyncCallback callback, IAsyncResult result) => _inner.TruncateUntilSegmentAsync(toSegment, callback, result);

    /// <inheritdoc/>
    public void TruncateUntilSegment(int toSegment) => _inner.TruncateUntilSegment(toSegment);

    /// <inheritdoc/>
    public void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) => _inner.RemoveSegmentAsync(segment, callback, result);

    /// <inheritdoc/>
    public void RemoveSegment(int segment) => _inner.RemoveSegment(segment);

    /// <inheritdoc/>
    public long GetFileSize(int segment) => _inner.GetFileSize(segment);

    /// <inheritdoc/>
    public void Reset() => _inner.Reset();

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();

    // The flat-address overloads address segment (address / SegmentSize) at (address % SegmentSize), as StorageDeviceBase
    // does; a device without segments (SegmentSize -1) has one.
    private (int Segment, ulong Offset) Split(ulong address)
    {
        var size = _inner.SegmentSize;
        return size > 0 ? ((int)(address / (ulong)size), address % (ulong)size) : (0, address);
    }

    private InFlightWrite Begin(int segment, ulong offset, uint length, DeviceIOCompletionCallback callback, object context)
    {
        var write = new InFlightWrite(segment, offset, offset + length, callback, context);
        lock (_gate)
        {
            _writes.Add(write);
        }

        return write;
    }

    private void OnWritten(uint errorCode, uint numBytes, object context, Exception ioException)
    {
        var write = (InFlightWrite)context;
        List<DeferredRead>? released = null;
        lock (_gate)
        {
            _ = _writes.Remove(write);
            foreach (var read in write.Waiting)
            {
                if (--read.Pending == 0)
                {
                    (released ??= []).Add(read);
                }
            }
        }

        try
        {
            write.Callback(errorCode, numBytes, write.Context, ioException);
        }
        finally
        {
            foreach (var read in released ?? [])
            {
                read.Issue();
            }
        }
    }

    private void AfterOverlappingWrites(int segment, ulong offset, uint length, Action issue)
    {
        var end = offset + length;
        lock (_gate)
        {
            DeferredRead? deferred = null;
            foreach (var write in _writes)
            {
                if (write.Segment == segment && write.Start < end && offset < write.End)
                {
                    deferred ??= new DeferredRead(issue);
                    deferred.Pending++;
                    write.Waiting.Add(deferred);
                }
            }

            if (deferred is not null)
            {
                return;
            }
        }

        issue();
    }

    private sealed class InFlightWrite(int segment, ulong start, ulong end, DeviceIOCompletionCallback callback, object context)
    {
        public int Segment { get; } = segment;

        public ulong Start { get; } = start;

        public ulong End { get; } = end;

        public DeviceIOCompletionCallback Callback { get; } = callback;

        public object Context { get; } = context;

        // Reads that wait for this write (guarded by _gate).
        public List<DeferredRead> Waiting { get; } = [];
    }

    private sealed class DeferredRead(Action issue)
    {
        // Overlapping writes still in flight (guarded by _gate).
        public int Pending { get; set; }

        public void Issue() => issue();
    }
}
