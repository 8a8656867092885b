using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Adapters;

/// <summary>Keeps the configuration keys of durations that were renamed to the adapters' one convention (an integer
/// with its unit in the name, <c>ReconnectDelay</c> → <c>ReconnectDelayMs</c>) working: a value under the old key,
/// written as a <see cref="TimeSpan"/> (<c>00:00:01</c>), still configures the option when the new key is absent.</summary>
public static class RenamedDurationKeys
{
    /// <summary>Applies the old key <paramref name="oldKey"/> of <paramref name="section"/> after binding, unless
    /// <paramref name="newKey"/> is set too (the new key wins).</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options builder (after <c>Bind(section)</c>).</param>
    /// <param name="section">The channel's configuration section.</param>
    /// <param name="oldKey">The key as it was, holding a <see cref="TimeSpan"/> in invariant culture.</param>
    /// <param name="newKey">The key as it is now.</param>
    /// <param name="apply">Sets the option from the old value (converting to the new unit).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException">When the options are created: the old key's value is not a
    /// <see cref="TimeSpan"/>, or does not fit the new option.</exception>
    public static OptionsBuilder<TOptions> BindRenamedDuration<TOptions>(
        this OptionsBuilder<TOptions> builder, IConfiguration section, string oldKey, string newKey, Action<TOptions, TimeSpan> apply)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(apply);
        return builder.Configure(options =>
        {
            if (section[newKey] is not null || section[oldKey] is not { Length: > 0 } value)
            {
                return;
            }

            var key = section is IConfigurationSection s ? string.Concat(s.Path, ":", oldKey) : oldKey;
            if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration))
            {
                throw new InvalidOperationException(
                    $"{key} is not a duration (e.g. 00:00:01); it is now {newKey}, an integer in the unit its name says.");
            }

            try
            {
                apply(options, duration);
            }
            catch (OverflowException e)
            {
                throw new InvalidOperationException($"{key} = {value} does not fit {newKey}.", e);
            }
        });
    }

    /// <summary>Whole milliseconds of <paramref name="duration"/>, for an <c>…Ms</c> option.</summary>
    /// <param name="duration">The old value.</param>
    /// <returns>The milliseconds, rounded down.</returns>
    /// <exception cref="OverflowException">More than <see cref="int.MaxValue"/> ms (about 24.8 days).</exception>
    public static int Milliseconds(TimeSpan duration) => checked((int)duration.TotalMilliseconds);

    /// <summary>Whole seconds of <paramref name="duration"/>, for a <c>…Seconds</c> option.</summary>
    /// <param name="duration">The old value.</param>
    /// <returns>The seconds, rounded down.</returns>
    /// <exception cref="OverflowException">More than <see cref="int.MaxValue"/> seconds.</exception>
    public static int Seconds(TimeSpan duration) => checked((int)duration.TotalSeconds);
}
