using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>
    /// Lets Save-SeedreamResult take results that lost their type on the way: through Export-Clixml and
    /// Import-Clixml, a job, or remoting they arrive as property bags (Deserialized.Seedream.SeedreamImage).
    /// Such an object is rebuilt from its properties; anything else is left for the binder to refuse.
    /// </summary>
    public sealed class SeedreamImageTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is IList list && !(value is byte[]))
            {
                var images = new List<object?>(list.Count);
                foreach (object? item in list)
                {
                    images.Add(Rebuild(item));
                }

                return images.ToArray();
            }

            return Rebuild(inputData);
        }

        private static object? Rebuild(object? item)
        {
            if (!(item is PSObject bag) || bag.BaseObject is SeedreamImage || (bag.Properties["Url"] is null && bag.Properties["ImageBytes"] is null))
            {
                return item;
            }

            var image = new SeedreamImage
            {
                Url = Get<string>(bag, "Url"),
                ImageBytes = Get<byte[]>(bag, "ImageBytes"),
                Index = Get<int>(bag, "Index"),
                Size = Get<string>(bag, "Size"),
                Width = Get<int>(bag, "Width"),
                Height = Get<int>(bag, "Height"),
                Model = Get<string>(bag, "Model") ?? "",
                Prompt = Get<string>(bag, "Prompt") ?? "",
                OutputFormat = Get<string>(bag, "OutputFormat") ?? "jpeg",
                RequestId = Get<string>(bag, "RequestId"),
                Request = Get<SeedreamRequest>(bag, "Request"),
                Created = ToDateTimeOffset(bag.Properties["Created"]?.Value) ?? DateTimeOffset.UtcNow,
                ExpiresAt = ToDateTimeOffset(bag.Properties["ExpiresAt"]?.Value),
            };
            return image;
        }

        private static T? Get<T>(PSObject bag, string name)
        {
            object? value = bag.Properties[name]?.Value;
            return value != null && LanguagePrimitives.TryConvertTo(value, out T converted) ? converted : default;
        }

        /// <summary>DateTimeOffset survives serialization only as a property bag (or a string from JSON).</summary>
        private static DateTimeOffset? ToDateTimeOffset(object? value)
        {
            object? plain = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (plain)
            {
                case null:
                    return null;
                case DateTimeOffset offset:
                    return offset;
                case DateTime time:
                    return new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time);
                case string text when DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed):
                    return parsed;
            }

            if (value is PSObject bag && bag.Properties["UtcDateTime"]?.Value is object utc && LanguagePrimitives.TryConvertTo(utc, out DateTime utcTime))
            {
                return new DateTimeOffset(DateTime.SpecifyKind(utcTime, DateTimeKind.Utc));
            }

            return null;
        }
    }
}
