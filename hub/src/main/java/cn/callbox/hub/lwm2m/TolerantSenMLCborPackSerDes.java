package cn.callbox.hub.lwm2m;

import java.math.BigDecimal;
import java.util.Map;

import org.eclipse.leshan.core.node.codec.DefaultLwM2mDecoder;
import org.eclipse.leshan.core.node.codec.LwM2mDecoder;
import org.eclipse.leshan.core.node.codec.NodeDecoder;
import org.eclipse.leshan.core.node.codec.senml.LwM2mNodeSenMLDecoder;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.senml.SenMLException;
import org.eclipse.leshan.senml.cbor.upokecenter.SenMLCborPackSerDes;
import org.eclipse.leshan.senml.cbor.upokecenter.SenMLCborUpokecenterEncoderDecoder;

import com.upokecenter.cbor.CBORNumber;
import com.upokecenter.cbor.CBORObject;

/**
 * SenML-CBOR decoding that also reads numbers written as decimal fractions (CBOR tag 4).
 * <p>
 * Why: Leshan M18's own client encodes SenML times ({@code bt}, {@code t}) as {@code BigDecimal}, which the CBOR
 * library writes as tag 4, and M18's decoder then fails on them ({@code AsDoubleValue()}: "Not a floating-point
 * type"), so every timestamped SenML-CBOR Send from a Leshan box - the alarm outbox - would be refused with 4.00.
 * RFC 8428 section 6 allows decimal fractions for any SenML number. Integers and binary floats are decoded as before.
 */
public final class TolerantSenMLCborPackSerDes extends SenMLCborPackSerDes {

    /** Leshan's default decoder with SenML-CBOR decoded by this class. */
    public static LwM2mDecoder lwm2mDecoder() {
        Map<ContentFormat, NodeDecoder> decoders = DefaultLwM2mDecoder.getDefaultNodeDecoders(false);
        decoders.put(ContentFormat.SENML_CBOR, new LwM2mNodeSenMLDecoder(
                new SenMLCborUpokecenterEncoderDecoder(new TolerantSenMLCborPackSerDes()), false));
        return new DefaultLwM2mDecoder(decoders);
    }

    @Override
    protected Number deserializeNumber(CBORObject o, String fieldname) throws SenMLException {
        if (o != null && o.isNumber()) {
            CBORNumber.NumberKind kind = o.AsNumber().getKind();
            if (kind == CBORNumber.NumberKind.EDecimal || kind == CBORNumber.NumberKind.EFloat) {
                BigDecimal value = (BigDecimal) o.ToObject(BigDecimal.class);
                boolean time = "t".equals(fieldname) || "bt".equals(fieldname);
                // times keep every digit; a float resource value gets a double, as for binary floats
                return time || !o.AsNumber().CanFitInDouble() ? value : Double.valueOf(value.doubleValue());
            }
        }
        return super.deserializeNumber(o, fieldname);
    }
}
