using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OpenClaw.Channels.WeChat;

/// <summary>Process-local registry of open passive-reply slots (a DI singleton). When the agent run happens on
/// another node, the slot is not found there and the answer goes through the send API.</summary>
internal sealed class PassiveReplySlots
{
    private readonly ConcurrentDictionary<string, PassiveReplySlot> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PassiveReplySlot> _byKey = new(StringComparer.Ordinal);

    /// <summary>Returns the open slot of <paramref name="idempotencyKey"/>, or opens a new one.</summary>
    /// <param name="idempotencyKey">The message's idempotency key.</param>
    /// <param name="deadline">Deadline of a new slot.</param>
    /// <param name="created">True when this call opened the slot.</param>
    public PassiveReplySlot GetOrOpen(string idempotencyKey, DateTimeOffset deadline, out bool created)
    {
        while (true)
        {
            if (_byKey.TryGetValue(idempotencyKey, out var existing))
            {
                if (existing.IsOpen)
                {
                    created = false;
                    return existing;
                }

                Remove(existing);
                continue;
            }

            var slot = new PassiveReplySlot(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), idempotencyKey, deadline);
            if (_byKey.TryAdd(idempotencyKey, slot))
            {
                _byId[slot.Id] = slot;
                created = true;
                return slot;
            }
        }
    }

    /// <summary>Finds a slot by its id.</summary>
    public PassiveReplySlot? Find(string id) => _byId.TryGetValue(id, out var slot) ? slot : null;

    /// <summary>Removes a slot (after the webhook answered).</summary>
    public void Remove(PassiveReplySlot slot)
    {
        _byId.TryRemove(new KeyValuePair<string, PassiveReplySlot>(slot.Id, slot));
        _byKey.TryRemove(new KeyValuePair<string, PassiveReplySlot>(slot.IdempotencyKey, slot));
    }

    /// <summary>Number of registered slots (diagnostics and tests).</summary>
    public int Count => _byId.Count;
}
