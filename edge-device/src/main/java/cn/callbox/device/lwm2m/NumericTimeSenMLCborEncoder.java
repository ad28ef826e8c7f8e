package cn.callbox.device.lwm2m;

import java.math.BigDecimal;
import java.util.Map;

import org.eclipse.leshan.core.node.codec.DefaultLwM2mEncoder;
import org.eclipse.leshan.core.node.codec.LwM2mEncoder;
import org.eclipse.leshan.core.node.codec.LwM2mValueChecker;
import org.eclipse.leshan.core.node.codec.NodeEncoder;
import org.eclipse.leshan.core.node.codec.senml.LwM2mNodeSenMLEncoder;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.senml.SenMLEncoder;
import org.eclipse.leshan.senml.SenMLException;
import org.eclipse.leshan.senml.SenMLPack;
import org.eclipse.leshan.senml.cbor.upokecenter.SenMLCborUpokecenterEncoderDecoder;

import com.upokecenter.cbor.CBORNumber;
import com.upokecenter.cbor.CBORObject;

/**
 * SenML-CBOR with times as plain CBOR numbers. Leshan 2.0.0-M18 writes SenML times ({@code bt}, {@code t}) as CBOR
 * decimal fractions (tag 4), which its own decoder - the hub's - rejects with "Not a floating-point type", so every
 * time-stamped Send would be answered 4.00. RFC 8428 allows integers or floating-point numbers there; this writes a
 * whole second as an integer and anything finer as a double (exact to the millisecond for present-day times).
 */
final class NumericTimeSenMLCborEncoder implements SenMLEncoder {

    private static final int BASE_TIME = -3;
    private static final int TIME = 6;

    private final SenMLCborUpokecenterEncoderDecoder delegate = new SenMLCborUpokecenterEncoderDecoder();

    /** Leshan's default encoders, with this one for SenML-CBOR. */
    static LwM2mEncoder lwm2mEncoder() {
        Map<ContentFormat, NodeEncoder> encoders = DefaultLwM2mEncoder.getDefaultNodeEncoders(false);
        encoders.put(ContentFormat.SENML_CBOR, new LwM2mNodeSenMLEncoder(new NumericTimeSenMLCborEncoder()));
        return new DefaultLwM2mEncoder(encoders, DefaultLwM2mEncoder.getDefaultPathEncoder(),
                new LwM2mValueChecker());
    }

    @Override
    public byte[] toSenML(SenMLPack pack) throws SenMLException {
        byte[] encoded = delegate.toSenML(pack);
        CBORObject records = CBORObject.DecodeFromBytes(encoded);
        boolean changed = false;
        for (int i = 0; i < records.size(); i++) {
            CBORObject record = records.get(i);
            changed |= numeric(record, BASE_TIME);
            changed |= numeric(record, TIME);
        }
        return changed ? records.EncodeToBytes() : encoded;
    }

    private static boolean numeric(CBORObject record, int key) {
        CBORObject value = record.get(key);
        if (value == null || !value.isNumber() || value.AsNumber().getKind() != CBORNumber.NumberKind.EDecimal) {
            return false;
        }
        BigDecimal time = (BigDecimal) value.ToObject(BigDecimal.class);
        BigDecimal whole = time.stripTrailingZeros();
        record.set(key, whole.scale() <= 0 ? CBORObject.FromObject(whole.longValueExact())
                : CBORObject.FromObject(time.doubleValue()));
        return true;
    }
}
