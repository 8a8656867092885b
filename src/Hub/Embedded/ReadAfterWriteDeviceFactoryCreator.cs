using Tsavorite.core;

namespace OpenClaw.Channels.Hub.Embedded;

/// <summary>Garnet's device factory creator (<c>GarnetServerOptions.DeviceFactoryCreator</c>) with every storage device
/// it makes wrapped in a <see cref="ReadAfterWriteDevice"/>: the main log, its object log, the append-only file and the
/// checkpoint files. Null devices (nothing stored) are left as they are: Tsavorite tests for them by type.</summary>
/// <param name="inner">The creator Garnet built from its options (local storage, <c>RandomAccess</c> device).</param>
internal sealed class ReadAfterWriteDeviceFactoryCreator(INamedDeviceFactoryCreator inner) : INamedDeviceFactoryCreator
{
    /// <inheritdoc/>
    public INamedDeviceFactory Create(string baseName) => new Factory(inner.Create(baseName));

    private sealed class Factory(INamedDeviceFactory inner) : INamedDeviceFactory
    {
        public IDevice Get(FileDescriptor fileInfo)
        {
            var device = inner.Get(fileInfo);
            return device is NullDevice ? device : new ReadAfterWriteDevice(device);
        }

        public void Delete(FileDescriptor fileInfo) => inner.Delete(fileInfo);

        public IEnumerable<FileDescriptor> ListContents(string path) => inner.ListContents(path);

        public uint GetSectorSize(FileDescriptor fileInfo) => inner.GetSectorSize(fileInfo);
    }
}
