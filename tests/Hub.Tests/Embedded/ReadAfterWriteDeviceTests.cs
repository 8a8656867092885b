using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Channels.Hub.Embedded;
using Tsavorite.core;

namespace OpenClaw.Channels.Tests.Embedded;

/// <summary><see cref="ReadAfterWriteDevice"/> holds back a read only while a write overlapping it is in flight. The
/// wrapped device here completes a write only when the test says so, so every interleaving is deterministic.</summary>
public class ReadAfterWriteDeviceTests
{
    [Fact]
    public void ReadOverlappingAnInFlightWrite_IsIssuedOnlyAfterTheWriteCompletes()
    {
        var inner = new HeldWritesDevice();
        using var device = new ReadAfterWriteDevice(inner);
        var order = new List<string>();
        device.WriteAsync(1, 0, 0, 512, (_, _, _, _) => order.Add("write done"), null!);

        device.ReadAsync(0, 256, 2, 512, (_, _, _, _) => order.Add("read done"), null!);

        Assert.Empty(inner.Reads);
        inner.CompleteWrite(0);
        Assert.Equal([(0, 256UL, 512U)], inner.Reads);
        Assert.Equal(["write done", "read done"], order);
        Assert.Equal(0, device.InFlightWrites);
    }

    [Fact]
    public void ReadOfAnotherRangeOrSegment_IsIssuedAtOnce()
    {
        var inner = new HeldWritesDevice();
        using var device = new ReadAfterWriteDevice(inner);
        device.WriteAsync(1, 0, 512, 512, (_, _, _, _) => { }, null!);

        device.ReadAsync(0, 0, 2, 512, (_, _, _, _) => { }, null!);
        device.ReadAsync(0, 1024, 2, 512, (_, _, _, _) => { }, null!);
        device.ReadAsync(1, 512, 2, 512, (_, _, _, _) => { }, null!);

        Assert.Equal([(0, 0UL, 512U), (0, 1024UL, 512U), (1, 512UL, 512U)], inner.Reads);
        Assert.Equal(1, device.InFlightWrites);
    }

    [Fact]
    public void ReadOverlappingTwoWrites_WaitsForBoth()
    {
        var inner = new HeldWritesDevice();
        using var device = new ReadAfterWriteDevice(inner);
        device.WriteAsync(1, 0, 0, 512, (_, _, _, _) => { }, null!);
        device.WriteAsync(1, 0, 512, 512, (_, _, _, _) => { }, null!);

        device.ReadAsync(0, 0, 2, 1024, (_, _, _, _) => { }, null!);

        inner.CompleteWrite(1);
        Assert.Empty(inner.Reads);
        inner.CompleteWrite(0);
        Assert.Equal([(0, 0UL, 1024U)], inner.Reads);
    }

    [Fact]
    public void FlatAddresses_AreSplitIntoSegmentAndOffset_LikeTheWrappedDevice()
    {
        var inner = new HeldWritesDevice { SegmentSize = 4096 };
        using var device = new ReadAfterWriteDevice(inner);
        device.WriteAsync(1, 4096 + 512, 512, (_, _, _, _) => { }, null!);

        device.ReadAsync(0, 512, 2, 512, (_, _, _, _) => { }, null!);
        Assert.Single(inner.Reads);
        device.ReadAsync(1, 512, 2, 512, (_, _, _, _) => { }, null!);
        Assert.Single(inner.Reads);

        inner.CompleteWrite(0);
        Assert.Equal([(0, 512UL, 512U), (1, 512UL, 512U)], inner.Reads);
    }

    [Fact]
    public void WriteCallback_GetsTheCallersContextAndResult()
    {
        var inner = new HeldWritesDevice();
        using var device = new ReadAfterWriteDevice(inner);
        var context = new object();
        (uint Error, uint Bytes, object Context)? seen = null;
        device.WriteAsync(1, 0, 0, 512, (error, bytes, ctx, _) => seen = (error, bytes, ctx), context);

        inner.CompleteWrite(0, errorCode: 5);

        Assert.Equal((5U, 512U, context), seen);
    }

    [Fact]
    public void EmbeddedArguments_GetGarnetsOptions_WithTheWrappingDeviceFactory()
    {
        var root = Path.Combine(Path.GetTempPath(), "openclaw-tests", "garnet-opts-" + Guid.NewGuid().ToString("N"));
        var options = GarnetServerOptionsFactory.Create(EmbeddedGarnet.Arguments(root, new Hub.Embedded.EmbeddedOptions(), 6400), NullLogger.Instance);

        Assert.IsType<ReadAfterWriteDeviceFactoryCreator>(options.DeviceFactoryCreator);
        Assert.Equal(Path.Combine(root, "log"), options.LogDir);
        Assert.Equal(DeviceType.RandomAccess, options.DeviceType);
    }

    /// <summary>Completes reads at once and writes only on <see cref="CompleteWrite"/>; records what reached it.</summary>
    private sealed class HeldWritesDevice : IDevice
    {
        private readonly List<(uint Bytes, DeviceIOCompletionCallback Callback, object Context)> _writes = [];

        public List<(int Segment, ulong Offset, uint Length)> Reads { get; } = [];

        public uint SectorSize => 512;

        public string FileName => "held";

        public long Capacity => -1;

        public long SegmentSize { get; init; } = -1;

        public int StartSegment => 0;

        public int EndSegment => 0;

        public int ThrottleLimit { get; set; }

        public void CompleteWrite(int index, uint errorCode = 0)
        {
            var (bytes, callback, context) = _writes[index];
            callback(errorCode, bytes, context, null!);
        }

        public void WriteAsync(nint sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
            _writes.Add((numBytesToWrite, callback, context));

        public void WriteAsync(nint alignedSourceAddress, ulong alignedDestinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
            _writes.Add((numBytesToWrite, callback, context));

        public void ReadAsync(int segmentId, ulong sourceAddress, nint destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
        {
            Reads.Add((segmentId, sourceAddress, readLength));
            callback(0, readLength, context, null!);
        }

        public void ReadAsync(ulong alignedSourceAddress, nint alignedDestinationAddress, uint aligned_read_length, DeviceIOCompletionCallback callback, object context) =>
            ReadAsync((int)(alignedSourceAddress / (ulong)SegmentSize), alignedSourceAddress % (ulong)SegmentSize, alignedDestinationAddress, aligned_read_length, callback, context);

        public void Initialize(long segmentSize, LightEpoch epoch = null!, bool omitSegmentIdFromFilename = false)
        {
        }

        public bool TryComplete() => true;

        public bool Throttle() => false;

        public void TruncateUntilAddressAsync(long toAddress, AsyncCallback callback, IAsyncResult result) => throw new NotSupportedException();

        public void TruncateUntilAddress(long toAddress) => throw new NotSupportedException();

        public void TruncateUntilSegmentAsync(int toSegment, AsyncCallback callback, IAsyncResult result) => throw new NotSupportedException();

        public void TruncateUntilSegment(int toSegment) => throw new NotSupportedException();

        public void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) => throw new NotSupportedException();

        public void RemoveSegment(int segment) => throw new NotSupportedException();

        public long GetFileSize(int segment) => 0;

        public void Reset()
        {
        }

        public void Dispose()
        {
        }
    }
}
